import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { call } from "../support/http";
import { PrivateRedis } from "../support/private-redis";
import { waitFor } from "../support/wait";
import { itemRemaining } from "@flashsale/db";

describe("Redis loses its state", function () {
  this.timeout(60_000);
  let redis: PrivateRedis;
  let s: Stack;
  before(async () => {
    redis = await new PrivateRedis().start();
    s = await startStack({ workers: 1, env: { ...isolatedQueue(), REDIS_URL: redis.url } });
  });
  after(async () => {
    await s.stop();
    await redis.stop();
  });

  const completed = (id: string) => async () => (await s.api.deps.db.order.findUnique({ where: { id } }))?.status === "COMPLETED";

  it("when Redis is flushed mid-sale, then the gate is rebuilt from PostgreSQL: remaining units and each buyer's allowance survive", async () => {
    const item = await makeItem(s, { stock: 5, maxPerUser: 1 });
    const a = await makeBuyer(s);
    const first = await order(s, a.token, item.id);
    expect(first.status).to.equal(202);
    await waitFor("first order settled", completed(first.body.id));

    await s.api.deps.redis.flushall();
    expect((await call(s.url, "GET", `/items/${item.id}`)).body.remaining).to.equal(4);
    const again = await order(s, a.token, item.id);
    expect(again.status, again.text).to.equal(409);
    expect(again.body.code).to.equal("LIMIT_EXCEEDED");

    const b = await makeBuyer(s);
    const second = await order(s, b.token, item.id);
    expect(second.status, second.text).to.equal(202);
    await waitFor("second order settled", completed(second.body.id));
    expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(3);
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(3);
  });

  it("when Redis forgets its scripts (SCRIPT FLUSH), then orders still reserve", async () => {
    const item = await makeItem(s, { stock: 3 });
    const buyer = await makeBuyer(s);
    await s.api.deps.redis.script("FLUSH");
    const r = await order(s, buyer.token, item.id);
    expect(r.status, r.text).to.equal(202);
    await waitFor("settled", completed(r.body.id));
  });

  it("when Redis is unreachable, then POST /orders answers 503 within a second and charges nothing; when it is back, orders flow again", async () => {
    const item = await makeItem(s, { stock: 3 });
    const buyer = await makeBuyer(s, { USD: 10_000 });
    await redis.kill();
    const t0 = Date.now();
    const r = await order(s, buyer.token, item.id);
    expect(Date.now() - t0).to.be.below(1000);
    expect(r.status).to.equal(503);
    expect(r.body.code).to.equal("UNAVAILABLE");
    // An order's event stream cannot follow changes without Redis: 503 within its subscribe wait, not a hung request.
    const t1 = Date.now();
    const events = await call(s.url, "GET", `/orders/${r.body.id ?? "00000000-0000-4000-8000-000000000000"}/events`, { token: buyer.token });
    expect(Date.now() - t1).to.be.below(3000);
    expect([events.status, events.body.code]).to.deep.equal([503, "UNAVAILABLE"]);
    const ready = await call(s.url, "GET", "/readyz");
    expect(ready.status).to.equal(503);
    expect(ready.body.unavailable).to.include("redis");

    await redis.start();
    const back = await waitFor("an order accepted again", async () => {
      const x = await order(s, buyer.token, item.id);
      return x.status === 202 && x;
    }, 20_000, 200);
    await waitFor("settled", completed(back.body.id));
    const wallet = await s.api.deps.db.wallet.findFirstOrThrow({ where: { userId: buyer.id, currency: "USD" } });
    expect(Number(wallet.amount)).to.equal(10_000 - 2500);
  });
});
