import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer, type Buyer, type Stack } from "../support/stack";
import { makeItem, moneyOf } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { waitFor } from "../support/wait";
import { buySettled } from "./order-fixtures";
import { itemRemaining } from "@flashsale/db";

const refund = (s: Stack, id: string, headers: Record<string, string> = {}) => call(s.url, "POST", `/orders/${id}/refund`, { token: s.operator, headers });

/** A settled order of two lines: 2 units of a rewarded item A, 1 of item B. */
async function twoLineOrder(s: Stack, buyer: Buyer, a: { id: string }, b: { id: string }) {
  const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: a.id, quantity: 2 }, { itemId: b.id, quantity: 1 }] } });
  expect(r.status, r.text).to.equal(202);
  return waitFor("COMPLETED", async () => {
    const o = await call(s.url, "GET", `/orders/${r.body.id}`, { token: buyer.token });
    return o.body.status === "COMPLETED" && o.body;
  });
}

async function gateOf(s: Stack, itemId: string, userId: string) {
  const { redis, gate } = s.api.deps;
  return { remaining: Number(await redis.get(gate.keys.itemRemaining(itemId))), held: await redis.hget(gate.keys.itemHeld(itemId), userId) };
}

describe("POST /orders/:id/refund", () => {
  it("when an operator refunds a COMPLETED order, then REFUNDED in one step: units, allowance, money and points back, and the units sell again at once", async () => {
    const s = stack();
    const db = s.api.deps.db;
    const a = await makeItem(s, { stock: 2, maxPerUser: 2, price: 2500, rewardRate: 0.1 });
    const b = await makeItem(s, { stock: 1, price: 999 });
    const buyer = await makeBuyer(s, { USD: 10_000 });
    const done = await twoLineOrder(s, buyer, a, b);
    expect(done).to.include({ total: 5999, rewardPoints: 500 });
    expect((await moneyOf(s, buyer.id)).ledger.filter((l) => l.reason === "REWARD").map((l) => Number(l.delta))).to.deep.equal([500]);

    const r = await refund(s, done.id);
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.deep.equal({ ...done, status: "REFUNDED" });
    expect((await call(s.url, "GET", `/orders/${done.id}`, { token: buyer.token })).body).to.deep.equal(r.body);

    const m = await moneyOf(s, buyer.id);
    expect([m.wallet("USD"), m.wallet("PTS")]).to.deep.equal([10_000, 0]);
    expect([m.ledgerSum("USD"), m.ledgerSum("PTS")]).to.deep.equal([10_000, 0]);
    const byReason = m.ledger.filter((l) => l.orderId === done.id).map((l) => `${l.reason}:${l.currency}:${l.delta}`).sort();
    expect(byReason).to.deep.equal(["PURCHASE:USD:-5999", "REFUND:USD:5999", "REWARD:PTS:-500", "REWARD:PTS:500"]);
    for (const [item, stock] of [[a, 2], [b, 1]] as const) {
      expect((await itemRemaining(db, item.id))).to.equal(stock);
      expect((await db.holding.findUnique({ where: { userId_itemId: { userId: buyer.id, itemId: item.id } } }))?.quantity).to.equal(0);
      expect(await gateOf(s, item.id, buyer.id)).to.deep.equal({ remaining: stock, held: null });
      expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ remaining: stock, state: "live" });
    }

    // The same buyer, at its limit before the refund, buys the same units again at once.
    const again = await twoLineOrder(s, buyer, a, b);
    expect(again.id).not.to.equal(done.id);
    expect((await moneyOf(s, buyer.id)).wallet("USD")).to.equal(10_000 - 5999);
  });

  it("when ten refunds of one order race, then exactly one refunds it and nine are 409 NOT_REFUNDABLE; wallet and ledger exact", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5, price: 1234, rewardRate: 0.5 });
    const buyer = await makeBuyer(s, { USD: 5000 });
    const done = await buySettled(s, buyer, item.id);
    const replies = await Promise.all(Array.from({ length: 10 }, () => refund(s, done.id)));
    expect(replies.filter((r) => r.status === 200)).to.have.length(1);
    const refused = replies.filter((r) => r.status !== 200);
    expect(refused).to.have.length(9);
    for (const r of refused) expectProblem(r, 409, "NOT_REFUNDABLE");
    const m = await moneyOf(s, buyer.id);
    expect([m.wallet("USD"), m.ledgerSum("USD"), m.wallet("PTS"), m.ledgerSum("PTS")]).to.deep.equal([5000, 5000, 0, 0]);
    expect(m.ledger.filter((l) => l.reason === "REFUND")).to.have.length(1);
    expect(m.ledger.filter((l) => l.reason === "REWARD").map((l) => Number(l.delta)).sort()).to.deep.equal([-617, 617]);
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(5);
    expect(await gateOf(s, item.id, buyer.id)).to.deep.equal({ remaining: 5, held: null });
  });

  it("when the buyer has spent the points, then 409 INSUFFICIENT_FUNDS and nothing moved; with the points back the refund goes through", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 3, price: 2000, rewardRate: 0.1 });
    const buyer = await makeBuyer(s, { USD: 5000 });
    const done = await buySettled(s, buyer, item.id);
    const spend = await call(s.url, "POST", `/users/${buyer.id}/balance/debit`, { token: s.operator, body: { amount: 150, currency: "PTS" } });
    expect(spend.status, spend.text).to.equal(200);
    const before = { money: (await moneyOf(s, buyer.id)).ledger.length, gate: await gateOf(s, item.id, buyer.id) };

    expectProblem(await refund(s, done.id), 409, "INSUFFICIENT_FUNDS");
    expect((await call(s.url, "GET", `/orders/${done.id}`, { token: s.operator })).body.status).to.equal("COMPLETED");
    const m = await moneyOf(s, buyer.id);
    expect([m.wallet("USD"), m.wallet("PTS"), m.ledger.length]).to.deep.equal([3000, 50, before.money]);
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(2);
    expect(await gateOf(s, item.id, buyer.id)).to.deep.equal(before.gate);

    await call(s.url, "POST", `/users/${buyer.id}/balance/credit`, { token: s.operator, body: { amount: 150, currency: "PTS" } });
    expect((await refund(s, done.id)).status).to.equal(200);
    const after = await moneyOf(s, buyer.id);
    expect([after.wallet("USD"), after.wallet("PTS")]).to.deep.equal([5000, 0]);
  });

  it("when the same Idempotency-Key comes twice, then the first answer twice and one refund; on another order it is 422 IDEMPOTENCY_KEY_REUSED", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5, maxPerUser: 2, price: 700 });
    const buyer = await makeBuyer(s, { USD: 5000 });
    const first = await buySettled(s, buyer, item.id);
    const second = await buySettled(s, buyer, item.id);
    const key = { "idempotency-key": `refund-${randomUUID()}` };
    const [x, y] = await Promise.all([refund(s, first.id, key), refund(s, first.id, key)]);
    const z = await refund(s, first.id, key);
    expect([x.status, y.status, z.status]).to.deep.equal([200, 200, 200]);
    expect(y.body).to.deep.equal(x.body);
    expect(z.body).to.deep.equal(x.body);
    expect((await moneyOf(s, buyer.id)).ledger.filter((l) => l.reason === "REFUND")).to.have.length(1);
    expect(await gateOf(s, item.id, buyer.id)).to.deep.equal({ remaining: 4, held: "1" });
    expectProblem(await refund(s, second.id, key), 422, "IDEMPOTENCY_KEY_REUSED");
    expect((await call(s.url, "GET", `/orders/${second.id}`, { token: s.operator })).body.status).to.equal("COMPLETED");
  });

  it("when the order is refunded already, REJECTED, unknown or not a UUID, then 409, 409, 404 and 400", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 1, price: 500 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    const poor = await makeBuyer(s, { USD: 10 });
    const done = await buySettled(s, buyer, item.id);
    await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 1 } });
    const rejected = await buySettled(s, poor, item.id, "REJECTED");
    expect((await refund(s, done.id)).status).to.equal(200);
    expectProblem(await refund(s, done.id), 409, "NOT_REFUNDABLE");
    expectProblem(await refund(s, rejected.id), 409, "NOT_REFUNDABLE");
    expectProblem(await refund(s, randomUUID()), 404, "ORDER_NOT_FOUND");
    expectProblem(await refund(s, "not-an-order"), 400, "VALIDATION_FAILED");
    expect((await moneyOf(s, buyer.id)).ledger.filter((l) => l.reason === "REFUND")).to.have.length(1);
  });

  it("when a buyer, no token, a body with fields or a non-JSON body asks, then 403, 401, 400 and 415, and nothing is refunded", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 2, price: 500 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    const done = await buySettled(s, buyer, item.id);
    const path = `/orders/${done.id}/refund`;
    expectProblem(await call(s.url, "POST", path, { token: buyer.token }), 403, "FORBIDDEN");
    expectProblem(await call(s.url, "POST", path), 401, "UNAUTHENTICATED");
    expectProblem(await call(s.url, "POST", path, { token: s.operator, body: { amount: 1 } }), 400, "VALIDATION_FAILED");
    expectProblem(await call(s.url, "POST", path, { token: s.operator, raw: "refund", headers: { "content-type": "text/plain" } }), 415, "UNSUPPORTED_MEDIA_TYPE");
    expect((await call(s.url, "GET", `/orders/${done.id}`, { token: s.operator })).body.status).to.equal("COMPLETED");
    expect((await call(s.url, "POST", path, { token: s.operator, body: {} })).status).to.equal(200);
  });
});
