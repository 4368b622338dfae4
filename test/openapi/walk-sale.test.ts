import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeItem } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { call } from "../support/http";
import { schemaErrors } from "../support/openapi";
import { waitFor } from "../support/wait";
import { eventsOf, hit, SALE_OPERATIONS, unwalked } from "./walk";

const HOUR = 3_600_000;
const lines = (itemId: string, quantity = 1) => ({ items: [{ itemId, quantity }] });

describe("OpenAPI document: items and orders answer as documented", () => {
  let buyer: Buyer;
  const url = () => stack().url;
  const op = () => stack().operator;

  before(async () => {
    buyer = await makeBuyer(stack(), { USD: 100_000, JPY: 100_000 });
  });

  it("when items are created, listed, read and restocked, then each answer is documented, refusals too", async () => {
    const created = await hit(url(), "POST", "/items", 201, { token: op(), body: { name: "Walk item", price: 100, currency: "USD", stock: 1, rewardRate: 0.1 } });
    expect(created.headers.get("location")).to.equal(`/items/${created.body.id}`);
    await hit(url(), "POST", "/items", 201, { token: op(), body: { name: "Ended", price: 1, currency: "USD", stock: 1, endsAt: new Date(Date.now() - HOUR).toISOString() } });
    await hit(url(), "POST", "/items", 400, { token: op(), body: { name: "", price: -1, currency: "usd", stock: 1 } });
    await hit(url(), "POST", "/items", 403, { token: buyer.token, body: {} });
    const first = await hit(url(), "GET", "/items", 200, { query: "limit=1" });
    await hit(url(), "GET", "/items", 200, { query: `cursor=${first.body.nextCursor}` });
    await hit(url(), "GET", "/items", 400, { query: "limit=0" });
    await hit(url(), "GET", "/items", 400, { query: "cursor=forged" });
    const p = { id: created.body.id };
    await hit(url(), "GET", "/items/{id}", 200, { params: p });
    await hit(url(), "GET", "/items/{id}", 404, { params: { id: randomUUID() } });
    await hit(url(), "GET", "/items/{id}", 400, { params: { id: "42" } });
    const restocked = await hit(url(), "POST", "/items/{id}/restock", 200, { token: op(), params: p, body: { quantity: 2 } });
    expect(restocked.body).to.include({ stock: 3, remaining: 3 });
    await hit(url(), "POST", "/items/{id}/restock", 404, { token: op(), params: { id: randomUUID() }, body: { quantity: 1 } });
    await hit(url(), "POST", "/items/{id}/restock", 400, { token: op(), params: p, body: { quantity: 0 } });
    await hit(url(), "POST", "/items/{id}/restock", 401, { params: p, body: { quantity: 1 } });
  });

  it("when orders are placed and refused for each business rule, then 202 with Location and the documented problems", async () => {
    const item = await makeItem(stack(), { price: 300, stock: 1, maxPerUser: 1 });
    const key = { "idempotency-key": `walk-${randomUUID()}` };
    const placed = await hit(url(), "POST", "/orders", 202, { token: buyer.token, body: lines(item.id), headers: key });
    expect(placed.headers.get("location")).to.equal(`/orders/${placed.body.id}`);
    expect(placed.body.status).to.equal("PENDING");
    const again = await hit(url(), "POST", "/orders", 202, { token: buyer.token, body: lines(item.id), headers: key });
    expect(again.body.id).to.equal(placed.body.id);
    await hit(url(), "POST", "/orders", 422, { token: buyer.token, body: lines(item.id, 2), headers: key });
    await hit(url(), "POST", "/orders", 409, { token: buyer.token, body: lines(item.id) });
    const other = await makeBuyer(stack(), { USD: 10_000 });
    const soldOut = await hit(url(), "POST", "/orders", 409, { token: other.token, body: lines(item.id) });
    expect(soldOut.body.code).to.equal("SOLD_OUT");
    const later = await makeItem(stack(), { startsAt: new Date(Date.now() + HOUR).toISOString() });
    await hit(url(), "POST", "/orders", 409, { token: buyer.token, body: lines(later.id) });
    const [usd, yen] = [await makeItem(stack(), { stock: 5 }), await makeItem(stack(), { currency: "JPY", price: 10 })];
    const mixed = await hit(url(), "POST", "/orders", 400, { token: buyer.token, body: { items: [...lines(usd.id).items, ...lines(yen.id).items] } });
    expect(mixed.body.code).to.equal("MIXED_CURRENCY");
    await hit(url(), "POST", "/orders", 404, { token: buyer.token, body: lines(randomUUID()) });
    await hit(url(), "POST", "/orders", 400, { token: buyer.token, body: { items: [] } });
    await hit(url(), "POST", "/orders", 403, { token: op(), body: lines(item.id) });
    await hit(url(), "POST", "/orders", 401, { body: lines(item.id) });
    await hit(url(), "POST", "/orders", 415, { token: buyer.token, raw: "items", headers: { "content-type": "text/plain" } });
  });

  it("when an order is followed to COMPLETED, listed, streamed and refunded, then each answer is documented", async () => {
    const item = await makeItem(stack(), { price: 700, stock: 5, rewardRate: 0.5 });
    const placed = await hit(url(), "POST", "/orders", 202, { token: buyer.token, body: lines(item.id) });
    const p = { id: placed.body.id };
    await hit(url(), "GET", "/orders/{id}", 200, { token: buyer.token, params: p });
    await hit(url(), "GET", "/orders/{id}/status", 200, { token: buyer.token, params: p });
    await waitFor("the order to complete", async () => (await call(url(), "GET", `/orders/${p.id}/status`, { token: buyer.token })).body.status === "COMPLETED");
    const done = await hit(url(), "GET", "/orders/{id}", 200, { token: op(), params: p });
    expect(done.body).to.include({ status: "COMPLETED", rewardPoints: 350 });
    await hit(url(), "GET", "/orders/{id}", 404, { token: buyer.token, params: { id: randomUUID() } });
    await hit(url(), "GET", "/orders/{id}/status", 400, { token: buyer.token, params: { id: "x" } });
    await hit(url(), "GET", "/orders/{id}/status", 401, { params: p });

    const events = await hit(url(), "GET", "/orders/{id}/events", 200, { token: buyer.token, params: p });
    const [first] = eventsOf(events.text, "status");
    expect(schemaErrors("Order", first), "the status event's data is an Order").to.deep.equal([]);
    await hit(url(), "GET", "/orders/{id}/events", 404, { token: buyer.token, params: { id: randomUUID() } });

    const listed = await hit(url(), "GET", "/orders", 200, { token: buyer.token, query: `itemId=${item.id}&status=COMPLETED&limit=5` });
    expect(listed.body.data.map((o: { id: string }) => o.id)).to.deep.equal([p.id]);
    await hit(url(), "GET", "/orders", 200, { token: op(), query: `userId=${buyer.id}&from=2000-01-01T00:00:00Z&to=2999-01-01T00:00:00Z` });
    await hit(url(), "GET", "/orders", 400, { token: buyer.token, query: "colour=red" });
    await hit(url(), "GET", "/orders", 401);

    const key = { "idempotency-key": randomUUID() };
    const refunded = await hit(url(), "POST", "/orders/{id}/refund", 200, { token: op(), params: p, headers: key });
    expect(refunded.body.status).to.equal("REFUNDED");
    const replayed = await hit(url(), "POST", "/orders/{id}/refund", 200, { token: op(), params: p, body: {}, headers: key });
    expect(replayed.body).to.deep.equal(refunded.body);
    await hit(url(), "POST", "/orders/{id}/refund", 409, { token: op(), params: p });
    await hit(url(), "POST", "/orders/{id}/refund", 404, { token: op(), params: { id: randomUUID() } });
    await hit(url(), "POST", "/orders/{id}/refund", 400, { token: op(), params: p, body: { partial: true } });
    await hit(url(), "POST", "/orders/{id}/refund", 403, { token: buyer.token, params: p });
  });

  it("when this walk is over, then each of its operations had a 2xx reply checked against the document", () => {
    expect(unwalked(SALE_OPERATIONS)).to.deep.equal([]);
  });
});
