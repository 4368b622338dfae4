import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { explainOrderHistory, type OrderFilter } from "@flashsale/db";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer } from "../support/stack";
import { makeItem } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { allPages, buySettled, insertSettledOrders, type SettledRow } from "./order-fixtures";

// Fixture orders live in March 2001, a window no other test writes to, so a filter bounded
// by it sees exactly this file's rows.
const MARCH = Date.UTC(2001, 2, 1);
const day = (d: number, ms = 0) => new Date(MARCH + d * 86_400_000 + ms);
const WINDOW = `from=${day(0).toISOString()}&to=${day(31).toISOString()}`;
const STATUSES = ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"] as const;
const newestFirst = (a: SettledRow, b: SettledRow) => b.createdAt.getTime() - a.createdAt.getTime() || (b.id < a.id ? -1 : 1);

describe("GET /orders", () => {
  let rows: SettledRow[];
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const items = [randomUUID(), randomUUID()];

  before(async () => {
    // 120 orders over 30 days, in pairs sharing one millisecond (ties are broken by id).
    rows = await insertSettledOrders(stack(), 120, (i) => ({
      userId: users[i % 3]!,
      itemId: items[i % 2]!,
      status: STATUSES[i % 4],
      at: day(Math.floor(i / 4), (i % 2) * 1000),
    }));
  });

  it("when an operator combines status, itemId, userId, from and to, then exactly the orders matching all, newest first", async () => {
    const s = stack();
    const from = day(5);
    const to = day(20);
    for (let mask = 0; mask < 32; mask++) {
      const f = {
        status: mask & 1 ? ("REJECTED" as const) : undefined,
        itemId: mask & 2 ? items[1] : undefined,
        userId: mask & 4 ? users[2] : undefined,
        from: mask & 8 ? from : day(0),
        to: mask & 16 ? to : day(31),
      };
      const want = rows
        .filter((r) => (!f.status || r.status === f.status) && (!f.itemId || r.itemId === f.itemId) && (!f.userId || r.userId === f.userId))
        .filter((r) => r.createdAt >= f.from && r.createdAt < f.to)
        .sort(newestFirst)
        .map((r) => r.id);
      const query = [
        f.status && `status=${f.status}`,
        f.itemId && `itemId=${f.itemId}`,
        f.userId && `userId=${f.userId}`,
        `from=${f.from.toISOString()}`,
        `to=${f.to.toISOString()}`,
      ].filter(Boolean).join("&");
      const got = await allPages(s, s.operator, query, 7);
      expect(got.map((o) => o.id), `filters ${query}`).to.deep.equal(want);
    }
  });

  it("when a buyer lists orders, then only its own, whatever userId it passes, in the shape of GET /orders/:id", async () => {
    const s = stack();
    const buyer = await makeBuyer(s);
    const item = await makeItem(s, { stock: 5, maxPerUser: 2 });
    const first = await buySettled(s, buyer, item.id);
    const second = await buySettled(s, buyer, item.id);
    const own = await call(s.url, "GET", "/orders", { token: buyer.token });
    expect(own.status, own.text).to.equal(200);
    expect(own.body.nextCursor).to.equal(null);
    expect(own.body.data.map((o: { id: string }) => o.id)).to.deep.equal([second.id, first.id]);
    expect(own.body.data[0]).to.deep.equal((await call(s.url, "GET", `/orders/${second.id}`, { token: buyer.token })).body);

    const asOther = await call(s.url, "GET", `/orders?userId=${users[0]}&${WINDOW}`, { token: buyer.token });
    expect(asOther.status).to.equal(200);
    expect(asOther.body.data).to.deep.equal([]);
    const filtered = await call(s.url, "GET", `/orders?userId=${users[0]}&itemId=${item.id}&status=COMPLETED`, { token: buyer.token });
    expect(filtered.body.data.map((o: { userId: string }) => o.userId)).to.deep.equal([buyer.id, buyer.id]);
  });

  it("when the filters are malformed, then 400 VALIDATION_FAILED", async () => {
    const s = stack();
    const bad = [
      "status=BOGUS",
      "status=completed",
      "status=COMPLETED&status=REJECTED",
      "itemId=123",
      "userId=not-a-user",
      "from=yesterday",
      "to=2001-03-01",
      `from=${day(2).toISOString()}&to=${day(1).toISOString()}`,
      "limit=0",
      "limit=201",
      "limit=ten",
      "cursor=not-a-cursor",
      "stauts=COMPLETED",
    ];
    for (const q of bad) expectProblem(await call(s.url, "GET", `/orders?${q}`, { token: s.operator }), 400, "VALIDATION_FAILED");
    expectProblem(await call(s.url, "GET", "/orders"), 401, "UNAUTHENTICATED");
  });

  it("when no limit is given, then pages of 50 with a cursor to the next", async () => {
    const s = stack();
    const page = await call(s.url, "GET", `/orders?${WINDOW}`, { token: s.operator });
    expect(page.body.data).to.have.length(50);
    expect(page.body.nextCursor).to.be.a("string");
    const next = await call(s.url, "GET", `/orders?${WINDOW}&cursor=${page.body.nextCursor}`, { token: s.operator });
    expect(next.body.data[0].createdAt <= page.body.data[49].createdAt).to.equal(true);
    expect(next.body.data.map((o: { id: string }) => o.id)).not.to.include(page.body.data[49].id);
  });

  it("when every filter combination is planned with sequential scans and sorts priced out, then each reads an index in order", async () => {
    const db = stack().api.deps.db;
    const after = { createdAt: day(10), id: randomUUID() };
    for (let mask = 0; mask < 32; mask++) {
      const f: OrderFilter = {
        status: mask & 1 ? "COMPLETED" : undefined,
        itemId: mask & 2 ? items[0] : undefined,
        userId: mask & 4 ? users[0] : undefined,
        from: mask & 8 ? day(1) : undefined,
        to: mask & 16 ? day(20) : undefined,
      };
      for (const position of [undefined, after]) {
        const plan = (await explainOrderHistory(db, f, 50, position, { indexesOnly: true })).join("\n");
        expect(plan, JSON.stringify(f)).not.to.match(/Seq Scan|Sort/);
        expect(plan, JSON.stringify(f)).to.match(/Index (Only )?Scan/);
      }
    }
  });
});
