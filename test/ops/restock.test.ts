import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { waitFor } from "../support/wait";
import { itemRemaining, findItem } from "@flashsale/db";

/** An item's stock and remaining in PostgreSQL and in the Redis gate. */
async function bothSides(s: Stack, itemId: string) {
  const { db, redis, gate } = s.api.deps;
  const row = (await findItem(db, itemId))!;
  return {
    pg: { stock: row.stock, remaining: row.remaining },
    redis: { stock: Number(await redis.hget(gate.keys.itemMeta(itemId), "stock")), remaining: Number(await redis.get(gate.keys.itemRemaining(itemId))) },
  };
}

const restock = (s: Stack, itemId: string, body: unknown, token = s.operator) => call(s.url, "POST", `/items/${itemId}/restock`, { token, body });

describe("POST /items/:id/restock", function () {
  this.timeout(60_000);

  it("when a sold-out item is restocked, then PostgreSQL and Redis both gain the units and a buyer gets one at once", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 1 });
    const first = await makeBuyer(s);
    expect((await order(s, first.token, item.id)).status).to.equal(202);
    const late = await makeBuyer(s);
    expectProblem(await order(s, late.token, item.id), 409, "SOLD_OUT");

    const r = await restock(s, item.id, { quantity: 4 });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.include({ id: item.id, stock: 5, remaining: 4, state: "live" });
    await waitFor("the first order settled", async () => (await s.api.deps.db.order.count({ where: { userId: first.id, status: "COMPLETED" } })) === 1);
    expect(await bothSides(s, item.id)).to.deep.equal({ pg: { stock: 5, remaining: 4 }, redis: { stock: 5, remaining: 4 } });

    const bought = await order(s, late.token, item.id);
    expect(bought.status, bought.text).to.equal(202);
    await waitFor("COMPLETED", async () => (await call(s.url, "GET", `/orders/${bought.body.id}`, { token: late.token })).body.status === "COMPLETED");
    expect(await bothSides(s, item.id)).to.deep.equal({ pg: { stock: 5, remaining: 3 }, redis: { stock: 5, remaining: 3 } });
  });

  it("when 60 buyers race while 10 units are added to 10, then at most 20 are sold, all complete, and PostgreSQL and Redis agree", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 10, price: 100 });
    const buyers = await Promise.all(Array.from({ length: 60 }, () => makeBuyer(s)));
    const orders = buyers.map((b) => order(s, b.token, item.id));
    const restocked = restock(s, item.id, { quantity: 10 });
    const replies = await Promise.all(orders);
    expect((await restocked).status).to.equal(200);
    const accepted = replies.filter((r) => r.status === 202).map((r) => r.body.id as string);
    expect(replies.every((r) => r.status === 202 || r.body.code === "SOLD_OUT")).to.equal(true);
    expect(accepted.length).to.be.within(10, 20);
    const db = s.api.deps.db;
    await waitFor("all accepted orders COMPLETED", async () => (await db.order.count({ where: { id: { in: accepted }, status: "COMPLETED" } })) === accepted.length);
    const left = 20 - accepted.length;
    expect(await bothSides(s, item.id)).to.deep.equal({ pg: { stock: 20, remaining: left }, redis: { stock: 20, remaining: left } });
    expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ stock: 20, remaining: left });
  });

  it("when the quantity is not a positive integer, the item is unknown, or a buyer or nobody asks, then 400, 404, 403 and 401 and nothing changes", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 3 });
    for (const body of [{ quantity: 0 }, { quantity: -1 }, { quantity: 1.5 }, { quantity: "5" }, {}, { quantity: 10_000_001 }]) {
      expectProblem(await restock(s, item.id, body), 400, "VALIDATION_FAILED");
    }
    expectProblem(await restock(s, "not-an-item", { quantity: 1 }), 400, "VALIDATION_FAILED");
    expectProblem(await restock(s, randomUUID(), { quantity: 1 }), 404, "ITEM_NOT_FOUND");
    const buyer = await makeBuyer(s);
    expectProblem(await restock(s, item.id, { quantity: 1 }, buyer.token), 403, "FORBIDDEN");
    expectProblem(await call(s.url, "POST", `/items/${item.id}/restock`, { body: { quantity: 1 } }), 401, "UNAUTHENTICATED");
    expect(await bothSides(s, item.id)).to.deep.equal({ pg: { stock: 3, remaining: 3 }, redis: { stock: 3, remaining: 3 } });
  });
});
