import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeItem, order } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { saleState } from "../support/sale-state";
import { makeBuyer } from "../support/stack";
import { waitFor } from "../support/wait";

const hour = 3600_000;
const iso = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();
const settled = (id: string) =>
  waitFor(`order ${id} COMPLETED`, async () => (await call(stack().url, "GET", `/orders/${id}/status`, { token: stack().operator })).body.status === "COMPLETED");

describe("POST /orders and reading orders", () => {
  it("when a buyer orders two lines, then 202 with Location, lines priced, the total, and the order readable at once", async () => {
    const s = stack();
    const [a, b] = [await makeItem(s, { price: 300 }), await makeItem(s, { price: 1000, maxPerUser: 2 })];
    const buyer = await makeBuyer(s, { USD: 10_000 });
    const body = { items: [{ itemId: a.id, quantity: 1 }, { itemId: b.id.toUpperCase(), quantity: 2 }], userId: randomUUID() };
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body });
    expect(r.status, r.text).to.equal(202);
    expect(r.headers.get("location")).to.equal(`/orders/${r.body.id}`);
    expect(r.body).to.include({ userId: buyer.id, status: "PENDING", total: 2300, currency: "USD" });
    expect(r.body.items).to.deep.equal([{ itemId: a.id, quantity: 1, price: 300 }, { itemId: b.id, quantity: 2, price: 1000 }]);
    expect(new Date(r.body.createdAt).toISOString()).to.equal(r.body.createdAt);
    const read = await call(s.url, "GET", `/orders/${r.body.id}`, { token: buyer.token });
    expect(read.status, read.text).to.equal(200);
    expect(read.body).to.include({ id: r.body.id, userId: buyer.id, total: 2300, currency: "USD" });
    expect(read.body).to.have.property("rewardPoints");
    await settled(r.body.id);
    expect((await call(s.url, "GET", `/items/${b.id}`)).body.remaining).to.equal(8);
  });

  it("when an operator reads any buyer's order, then 200; another buyer gets 404 ORDER_NOT_FOUND on the order and its status", async () => {
    const s = stack();
    const item = await makeItem(s);
    const [owner, other] = [await makeBuyer(s), await makeBuyer(s)];
    const placed = await order(s, owner.token, item.id);
    expect((await call(s.url, "GET", `/orders/${placed.body.id}`, { token: s.operator })).body.userId).to.equal(owner.id);
    expectProblem(await call(s.url, "GET", `/orders/${placed.body.id}`, { token: other.token }), 404, "ORDER_NOT_FOUND");
    expectProblem(await call(s.url, "GET", `/orders/${placed.body.id}/status`, { token: other.token }), 404, "ORDER_NOT_FOUND");
  });

  it("when an order does not exist, then 404 ORDER_NOT_FOUND; a non-UUID id is 400; no token is 401", async () => {
    const s = stack();
    const buyer = await makeBuyer(s);
    for (const path of [`/orders/${randomUUID()}`, `/orders/${randomUUID()}/status`]) {
      expectProblem(await call(s.url, "GET", path, { token: buyer.token }), 404, "ORDER_NOT_FOUND");
      expectProblem(await call(s.url, "GET", path, { token: s.operator }), 404, "ORDER_NOT_FOUND");
      expectProblem(await call(s.url, "GET", path), 401, "UNAUTHENTICATED");
    }
    expectProblem(await call(s.url, "GET", "/orders/42", { token: buyer.token }), 400, "VALIDATION_FAILED");
  });

  it("when an operator places an order, then 403 FORBIDDEN and nothing is reserved", async () => {
    const s = stack();
    const item = await makeItem(s);
    const before = await saleState(s, [], [item.id]);
    expectProblem(await order(s, s.operator, item.id), 403, "FORBIDDEN");
    expect(await saleState(s, [], [item.id])).to.deep.equal(before);
  });
});

describe("the sale's rules on POST /orders", () => {
  const refusals: [string, Record<string, unknown>, number, string, number?][] = [
    ["the sale has not started", { startsAt: iso(hour) }, 1, "SALE_NOT_STARTED"],
    ["the sale has ended", { startsAt: iso(-2 * hour), endsAt: iso(-hour) }, 1, "SALE_ENDED"],
    ["more units are asked for than remain", { stock: 2, maxPerUser: 5 }, 3, "SOLD_OUT"],
    ["the item is sold out", { stock: 0 }, 1, "SOLD_OUT"],
    ["more units are asked for than maxPerUser", { stock: 10, maxPerUser: 2 }, 3, "LIMIT_EXCEEDED"],
  ];
  for (const [when, itemBody, quantity, code] of refusals) {
    it(`when ${when}, then 409 ${code} and nothing is reserved, queued or charged`, async () => {
      const s = stack();
      const item = await makeItem(s, itemBody);
      const buyer = await makeBuyer(s);
      const before = await saleState(s, [buyer.id], [item.id]);
      expectProblem(await order(s, buyer.token, item.id, quantity), 409, code);
      expect(await saleState(s, [buyer.id], [item.id])).to.deep.equal(before);
    });
  }

  it("when a buyer already holds maxPerUser units, then the next order is 409 LIMIT_EXCEEDED", async () => {
    const s = stack();
    const item = await makeItem(s, { maxPerUser: 2 });
    const buyer = await makeBuyer(s);
    const first = await order(s, buyer.token, item.id, 2);
    expect(first.status).to.equal(202);
    await settled(first.body.id);
    const before = await saleState(s, [], [item.id]);
    expectProblem(await order(s, buyer.token, item.id, 1), 409, "LIMIT_EXCEEDED");
    expect(await saleState(s, [], [item.id])).to.deep.equal(before);
  });

  it("when the item does not exist, then 404 ITEM_NOT_FOUND and the other line is not reserved", async () => {
    const s = stack();
    const item = await makeItem(s);
    const buyer = await makeBuyer(s);
    const before = await saleState(s, [buyer.id], [item.id]);
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: item.id, quantity: 1 }, { itemId: randomUUID(), quantity: 1 }] } });
    expectProblem(r, 404, "ITEM_NOT_FOUND");
    expect(await saleState(s, [buyer.id], [item.id])).to.deep.equal(before);
  });

  it("when the lines are priced in two currencies, then 400 MIXED_CURRENCY and neither is reserved", async () => {
    const s = stack();
    const [usd, jpy] = [await makeItem(s), await makeItem(s, { currency: "JPY", price: 300 })];
    const buyer = await makeBuyer(s, { USD: 10_000, JPY: 10_000 });
    const before = await saleState(s, [buyer.id], [usd.id, jpy.id]);
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: usd.id, quantity: 1 }, { itemId: jpy.id, quantity: 1 }] } });
    expectProblem(r, 400, "MIXED_CURRENCY");
    expect(await saleState(s, [buyer.id], [usd.id, jpy.id])).to.deep.equal(before);
  });

  it("when one line of two is sold out, then 409 SOLD_OUT and the other line is not reserved either", async () => {
    const s = stack();
    const [plenty, none] = [await makeItem(s, { stock: 5 }), await makeItem(s, { stock: 0 })];
    const buyer = await makeBuyer(s);
    const before = await saleState(s, [buyer.id], [plenty.id, none.id]);
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: plenty.id, quantity: 1 }, { itemId: none.id, quantity: 1 }] } });
    expectProblem(r, 409, "SOLD_OUT");
    expect(await saleState(s, [buyer.id], [plenty.id, none.id])).to.deep.equal(before);
  });
});

describe("Idempotency-Key on POST /orders", () => {
  it("when the same key and body come twice, then the same 202 and order id, and one unit reserved", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5, maxPerUser: 5 });
    const buyer = await makeBuyer(s);
    const key = { "idempotency-key": `ord-${randomUUID()}` };
    const first = await order(s, buyer.token, item.id, 1, key);
    const again = await order(s, buyer.token, item.id, 1, key);
    expect(first.status, first.text).to.equal(202);
    expect(again.status, again.text).to.equal(202);
    expect(again.body).to.deep.equal(first.body);
    expect(again.headers.get("location")).to.equal(`/orders/${first.body.id}`);
    expect((await call(s.url, "GET", `/items/${item.id}`)).body.remaining).to.equal(4);
    await settled(first.body.id);
    const later = await order(s, buyer.token, item.id, 1, key);
    expect(later.status).to.equal(202);
    expect(later.body).to.deep.equal(first.body);
    expect((await s.api.deps.db.order.findMany({ where: { userId: buyer.id } })).map((o) => o.id)).to.deep.equal([first.body.id]);
  });

  it("when the same key comes with another body, then 422 IDEMPOTENCY_KEY_REUSED and nothing more is reserved", async () => {
    const s = stack();
    const [item, other] = [await makeItem(s, { stock: 5, maxPerUser: 5 }), await makeItem(s)];
    const buyer = await makeBuyer(s);
    const key = { "idempotency-key": `ord-${randomUUID()}` };
    const first = await order(s, buyer.token, item.id, 1, key);
    expect(first.status).to.equal(202);
    await settled(first.body.id);
    const before = await saleState(s, [], [item.id, other.id]);
    expectProblem(await order(s, buyer.token, item.id, 2, key), 422, "IDEMPOTENCY_KEY_REUSED");
    expectProblem(await order(s, buyer.token, other.id, 1, key), 422, "IDEMPOTENCY_KEY_REUSED");
    expect(await saleState(s, [], [item.id, other.id])).to.deep.equal(before);
  });

  it("when two buyers use the same key, then each gets its own order (keys are per user)", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5 });
    const [a, b] = [await makeBuyer(s), await makeBuyer(s)];
    const key = { "idempotency-key": `shared-${randomUUID()}` };
    const [ra, rb] = [await order(s, a.token, item.id, 1, key), await order(s, b.token, item.id, 1, key)];
    expect([ra.status, rb.status]).to.deep.equal([202, 202]);
    expect(ra.body.id).to.not.equal(rb.body.id);
    expect(rb.body.userId).to.equal(b.id);
  });
});
