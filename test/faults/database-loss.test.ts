import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { call } from "../support/http";
import { TcpProxy } from "../support/tcp-proxy";
import { waitFor } from "../support/wait";
import { itemRemaining } from "@flashsale/db";

describe("the database goes away", function () {
  this.timeout(60_000);
  let proxy: TcpProxy;
  let s: Stack;
  before(async () => {
    const db = new URL(process.env.DATABASE_URL!);
    proxy = await new TcpProxy(db.hostname, Number(db.port || 5432)).start();
    s = await startStack({ workers: 1, env: { ...isolatedQueue(), DATABASE_URL: proxy.url(process.env.DATABASE_URL!) } });
  });
  after(async () => {
    proxy.restore();
    await s.stop();
    await proxy.stop();
  });

  it("when PostgreSQL is down during a sale, then the API keeps accepting, workers retry, and every order settles once it is back", async () => {
    const item = await makeItem(s, { stock: 10, price: 700 });
    const buyers = await Promise.all(Array.from({ length: 5 }, () => makeBuyer(s, { USD: 5000 })));
    proxy.cut();
    const replies = await Promise.all(buyers.map((b) => order(s, b.token, item.id)));
    expect(replies.map((r) => r.status)).to.deep.equal([202, 202, 202, 202, 202]);
    const read = await call(s.url, "GET", `/orders/${replies[0]!.body.id}`, { token: buyers[0]!.token });
    expect([200, 503]).to.include(read.status);
    if (read.status === 503) expect(read.body.code).to.equal("UNAVAILABLE");
    await waitFor("/readyz naming postgres", async () => (await call(s.url, "GET", "/readyz")).body.unavailable?.includes("postgres"));

    proxy.restore();
    const ids = replies.map((r) => r.body.id as string);
    await waitFor("all settled", async () => (await s.api.deps.db.order.count({ where: { id: { in: ids }, status: "COMPLETED" } })) === 5, 30_000, 100);
    for (const b of buyers) {
      const m = await moneyOf(s, b.id);
      expect(m.wallet("USD")).to.equal(4300);
      expect(m.ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(1);
    }
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(5);
  });
});
