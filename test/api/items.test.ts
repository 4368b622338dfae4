import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { saleState } from "../support/sale-state";
import { makeBuyer } from "../support/stack";
import { findItem } from "@flashsale/db";

const ITEM_KEYS = ["id", "name", "price", "currency", "stock", "remaining", "maxPerUser", "startsAt", "endsAt", "rewardRate", "state"];
const newItem = (body: Record<string, unknown> = {}) =>
  call(stack().url, "POST", "/items", { token: stack().operator, body: { name: "Vinyl", price: 1999, currency: "USD", stock: 4, ...body } });
const hour = 3600_000;

describe("POST /items and GET /items/:id", () => {
  it("when an operator creates an item with only the required fields, then 201 with the defaults, live, in Redis and PostgreSQL", async () => {
    const s = stack();
    const before = Date.now();
    const r = await newItem();
    expect(r.status, r.text).to.equal(201);
    expect(r.body).to.include.keys(...ITEM_KEYS);
    expect(r.body).to.include({ name: "Vinyl", price: 1999, currency: "USD", stock: 4, remaining: 4, maxPerUser: 1, endsAt: null, rewardRate: 0, state: "live" });
    expect(Date.parse(r.body.startsAt)).to.be.within(before - 1000, Date.now() + 1000);
    expect(r.headers.get("location")).to.equal(`/items/${r.body.id}`);
    const read = await call(s.url, "GET", `/items/${r.body.id}`);
    expect(read.status).to.equal(200);
    expect(read.body).to.deep.equal(r.body);
    const row = (await findItem(s.api.deps.db, r.body.id))!;
    expect(row).to.include({ stock: 4, remaining: 4, maxPerUser: 1 });
  });

  it("when every optional field is given, then they are kept, times in UTC", async () => {
    const r = await newItem({ maxPerUser: 3, startsAt: "2020-01-01T05:00:00+05:00", endsAt: "2999-01-01T00:00:00Z", rewardRate: 0.25 });
    expect(r.status, r.text).to.equal(201);
    expect(r.body).to.include({ maxPerUser: 3, startsAt: "2020-01-01T00:00:00.000Z", endsAt: "2999-01-01T00:00:00.000Z", rewardRate: 0.25, state: "live" });
  });

  const states: [string, Record<string, unknown>, string][] = [
    ["startsAt is in the future", { startsAt: new Date(Date.now() + hour).toISOString() }, "scheduled"],
    ["endsAt is in the past", { startsAt: new Date(Date.now() - 2 * hour).toISOString(), endsAt: new Date(Date.now() - hour).toISOString() }, "ended"],
    ["stock is 0", { stock: 0 }, "sold_out"],
  ];
  for (const [when, body, state] of states) {
    it(`when ${when}, then the item is created ${state}`, async () => {
      const r = await newItem(body);
      expect(r.status, r.text).to.equal(201);
      expect(r.body.state).to.equal(state);
      expect((await call(stack().url, "GET", `/items/${r.body.id}`)).body.state).to.equal(state);
    });
  }

  it("when the sale window is at the edges of storable time (years 1 and 9999), then 201 and the times come back as sent", async () => {
    const r = await newItem({ startsAt: "0001-01-01T00:00:00Z", endsAt: "9999-12-31T23:59:59.999Z" });
    expect(r.status, r.text).to.equal(201);
    expect(r.body).to.include({ startsAt: "0001-01-01T00:00:00.000Z", endsAt: "9999-12-31T23:59:59.999Z", state: "live" });
  });

  // The gate once stored "never ends" as 0, which made an endsAt before 1970 read as "never".
  it("when endsAt is before 1970, then the item is ended and an order is 409 SALE_ENDED", async () => {
    const s = stack();
    const item = (await newItem({ startsAt: "1960-01-01T00:00:00Z", endsAt: "1969-12-31T00:00:00Z" })).body;
    expect(item.state).to.equal("ended");
    const buyer = await makeBuyer(s);
    expectProblem(await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: item.id, quantity: 1 }] } }), 409, "SALE_ENDED");
  });

  it("when a buyer creates an item, then 403 FORBIDDEN and no item", async () => {
    const s = stack();
    const buyer = await makeBuyer(s);
    const count = await s.api.deps.db.item.count();
    expectProblem(await call(s.url, "POST", "/items", { token: buyer.token, body: { name: "X", price: 1, currency: "USD", stock: 1 } }), 403, "FORBIDDEN");
    expect(await s.api.deps.db.item.count()).to.equal(count);
  });

  it("when an item does not exist, then GET is 404 ITEM_NOT_FOUND; a non-UUID id is 400 VALIDATION_FAILED", async () => {
    const s = stack();
    expectProblem(await call(s.url, "GET", `/items/${randomUUID()}`), 404, "ITEM_NOT_FOUND");
    expectProblem(await call(s.url, "GET", "/items/sneaker-1"), 400, "VALIDATION_FAILED");
  });
});

describe("POST /items/:id/restock", () => {
  it("when an operator restocks, then stock and remaining grow by the quantity in the answer, Redis and PostgreSQL", async () => {
    const s = stack();
    const item = (await newItem({ stock: 2 })).body;
    const r = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 3 } });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.include({ id: item.id, stock: 5, remaining: 5, state: "live" });
    expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ stock: 5, remaining: 5 });
    expect((await findItem(s.api.deps.db, item.id))!).to.include({ stock: 5, remaining: 5 });
  });

  it("when a sold-out item is restocked, then it is live again", async () => {
    const s = stack();
    const item = (await newItem({ stock: 0 })).body;
    const r = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 1 } });
    expect(r.body).to.include({ stock: 1, remaining: 1, state: "live" });
  });

  it("when a restock would take stock past what PostgreSQL can hold, then 400 VALIDATION_FAILED and nothing changes", async () => {
    const s = stack();
    const item = (await newItem({ stock: 1 })).body;
    await s.api.deps.db.item.update({ where: { id: item.id }, data: { stock: 2_140_000_000 } });
    const before = await saleState(s, [], [item.id]);
    expectProblem(await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 10_000_000 } }), 400, "VALIDATION_FAILED");
    expect(await saleState(s, [], [item.id])).to.deep.equal(before);
  });

  it("when the item does not exist, then 404 ITEM_NOT_FOUND", async () => {
    const s = stack();
    expectProblem(await call(s.url, "POST", `/items/${randomUUID()}/restock`, { token: s.operator, body: { quantity: 1 } }), 404, "ITEM_NOT_FOUND");
  });

  it("when a buyer restocks, then 403 FORBIDDEN and the stock is unchanged", async () => {
    const s = stack();
    const item = (await newItem({ stock: 2 })).body;
    const buyer = await makeBuyer(s);
    expectProblem(await call(s.url, "POST", `/items/${item.id}/restock`, { token: buyer.token, body: { quantity: 5 } }), 403, "FORBIDDEN");
    expect((await call(s.url, "GET", `/items/${item.id}`)).body).to.include({ stock: 2, remaining: 2 });
  });
});

describe("GET /items", () => {
  it("when the list is read without a token, then 200 {data, nextCursor} with the newest item first", async () => {
    const s = stack();
    const item = (await newItem()).body;
    const r = await call(s.url, "GET", "/items?limit=1");
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.have.keys("data", "nextCursor");
    expect(r.body.data).to.have.length(1);
    expect(r.body.data[0]).to.deep.equal(item);
    expect(r.body.nextCursor).to.be.a("string");
  });

  it("when the list is walked with limit and the cursors, then each item comes once, in the order of one big page, ending with null", async () => {
    const s = stack();
    for (let i = 0; i < 3; i++) await newItem({ name: `Paged ${i}` });
    const total = await s.api.deps.db.item.count();
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : "";
      const r = await call(s.url, "GET", `/items?limit=7${q}`);
      expect(r.status, r.text).to.equal(200);
      expect(r.body.data.length).to.be.at.most(7);
      seen.push(...r.body.data.map((i: { id: string }) => i.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 1000);
    expect(cursor).to.equal(null);
    expect(seen).to.have.length(total);
    expect(new Set(seen).size).to.equal(total);
    const big = await call(s.url, "GET", "/items?limit=200");
    expect(seen.slice(0, big.body.data.length)).to.deep.equal(big.body.data.map((i: { id: string }) => i.id));
  });
});
