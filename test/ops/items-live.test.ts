import { expect } from "chai";
import { call } from "../support/http";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { waitFor } from "../support/wait";
import { itemRemaining } from "@flashsale/db";

const HOUR = 3_600_000;

describe("GET /items: remaining and state live from Redis", function () {
  this.timeout(60_000);
  let own: Stack;

  // No worker: reservations stay in Redis, so the API's numbers can only come from there.
  before(async () => {
    own = await startStack({ workers: 0, env: isolatedQueue() });
  });
  after(async () => {
    await own?.stop();
  });

  it("when units are reserved but not yet settled, then the list and the item show them gone, and sold_out for the last, before PostgreSQL knows", async () => {
    const s = own;
    const item = await makeItem(s, { stock: 2 });
    const [a, b] = await Promise.all([makeBuyer(s), makeBuyer(s)]);
    expect((await order(s, a.token, item.id)).status).to.equal(202);
    const listed = async () => {
      for (let cursor: string | null = null; ; ) {
        const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await call(s.url, "GET", `/items?limit=200${cursor ? `&cursor=${cursor}` : ""}`);
        const found = page.body.data.find((i) => i.id === item.id);
        if (found || !page.body.nextCursor) return found;
        cursor = page.body.nextCursor;
      }
    };
    expect(await listed()).to.include({ remaining: 1, stock: 2, state: "live" });
    expect((await order(s, b.token, item.id)).status).to.equal(202);
    expect(await listed()).to.include({ remaining: 0, state: "sold_out" });
    expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ remaining: 0, state: "sold_out" });
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(2);

    await s.addWorker();
    await waitFor("both settled", async () => (await s.api.deps.db.order.count({ where: { userId: { in: [a.id, b.id] }, status: "COMPLETED" } })) === 2);
    expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ remaining: 0, state: "sold_out" });
  });

  it("when items are scheduled, live, sold out or ended, then GET /items pages them newest first with that state", async () => {
    const s = own;
    const now = Date.now();
    const made = [
      await makeItem(s, { name: "scheduled", startsAt: new Date(now + HOUR).toISOString() }),
      await makeItem(s, { name: "live" }),
      await makeItem(s, { name: "sold out", stock: 0 }),
      await makeItem(s, { name: "ended", startsAt: new Date(now - 2 * HOUR).toISOString(), endsAt: new Date(now - HOUR).toISOString() }),
    ];
    const seen: { id: string; name: string; state: string }[] = [];
    let cursor: string | null = null;
    while (seen.length < 4) {
      const page: { status: number; body: { data: typeof seen; nextCursor: string | null } } = await call(s.url, "GET", `/items?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.status).to.equal(200);
      expect(page.body.data).to.have.length(1);
      seen.push(...page.body.data);
      cursor = page.body.nextCursor;
    }
    expect(seen.map((i) => i.id)).to.deep.equal(made.map((i) => i.id).reverse());
    expect(seen.map((i) => `${i.name}:${i.state}`)).to.deep.equal(["ended:ended", "sold out:sold_out", "live:live", "scheduled:scheduled"]);
  });

  it("when the paging is malformed, then 400 VALIDATION_FAILED", async () => {
    for (const q of ["limit=0", "limit=201", "limit=x", "cursor=garbage"]) expectProblem(await call(own.url, "GET", `/items?${q}`), 400, "VALIDATION_FAILED");
  });
});
