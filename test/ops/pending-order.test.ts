import { expect } from "chai";
import { call } from "../support/http";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { waitFor } from "../support/wait";
import { itemRemaining } from "@flashsale/db";

describe("an order no worker has taken yet", function () {
  this.timeout(60_000);
  let own: Stack;

  // An API whose queue has no consumer: its orders stay PENDING until the test adds a worker.
  before(async () => {
    own = await startStack({ workers: 0, env: isolatedQueue() });
  });
  after(async () => {
    await own?.stop();
  });

  it("when an order is PENDING, then it is counted by /metrics, shown by GET /orders/:id and /items, not listed by GET /orders, not refundable; a worker then completes it", async () => {
    const s = own;
    const item = await makeItem(s, { stock: 3 });
    const buyer = await makeBuyer(s);
    const metrics = async () => (await call(s.url, "GET", "/metrics", { token: s.operator })).body;
    const before = await metrics();

    const placed = await order(s, buyer.token, item.id);
    expect(placed.status, placed.text).to.equal(202);
    const id = placed.body.id as string;
    expect((await call(s.url, "GET", `/orders/${id}`, { token: buyer.token })).body.status).to.equal("PENDING");
    const pending = await metrics();
    expect(pending.orderCounts.PENDING).to.equal(before.orderCounts.PENDING + 1);
    expect(pending.totalOrders).to.equal(before.totalOrders + 1);
    expect(pending.queue).to.deep.equal({ depth: 1, consumers: 0, deadLettered: 0 });
    expect((await call(s.url, "GET", "/orders", { token: buyer.token })).body).to.deep.equal({ data: [], nextCursor: null });
    expectProblem(await call(s.url, "POST", `/orders/${id}/refund`, { token: s.operator }), 409, "NOT_REFUNDABLE");
    // remaining is live from Redis: the reservation shows before PostgreSQL has the order.
    expect((await call(s.url, "GET", `/items/${item.id}`)).body.remaining).to.equal(2);
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(3);

    await s.addWorker();
    await waitFor("COMPLETED", async () => (await call(s.url, "GET", `/orders/${id}`, { token: buyer.token })).body.status === "COMPLETED");
    const listed = await call(s.url, "GET", "/orders", { token: buyer.token });
    expect(listed.body.data.map((o: { id: string; status: string }) => `${o.id}:${o.status}`)).to.deep.equal([`${id}:COMPLETED`]);
    const after = await metrics();
    expect(after.orderCounts.PENDING).to.equal(before.orderCounts.PENDING);
    expect(after.orderCounts.PROCESSING).to.equal(before.orderCounts.PROCESSING);
    expect(after.orderCounts.COMPLETED).to.equal(before.orderCounts.COMPLETED + 1);
    expect(after.queue).to.deep.equal({ depth: 0, consumers: 1, deadLettered: 0 });
  });
});
