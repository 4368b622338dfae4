import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeBuyer, makeBuyers } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { itemRemaining, findItem } from "@flashsale/db";

describe("a flash sale race", function () {
  this.timeout(120_000);

  it("when 300 funded buyers race for 30 units, then exactly 30 get 202, 270 get SOLD_OUT, all 30 complete and every wallet is exact", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 30, price: 1999 });
    const buyers = await makeBuyers(s, 300, 5000);
    const started = Date.now();
    const replies = await Promise.all(buyers.map((b) => order(s, b.token, item.id)));
    const answeredMs = Date.now() - started;
    const accepted = replies.filter((r) => r.status === 202);
    const refused = replies.filter((r) => r.status === 409);
    expect(accepted).to.have.length(30);
    expect(refused).to.have.length(270);
    expect(refused.every((r) => r.body.code === "SOLD_OUT")).to.equal(true);

    const db = s.api.deps.db;
    const ids = accepted.map((r) => r.body.id as string);
    await waitFor("30 COMPLETED orders", async () => (await db.order.count({ where: { id: { in: ids }, status: "COMPLETED" } })) === 30, 30_000);
    const settledMs = Date.now() - started;
    const row = (await findItem(db, item.id))!;
    expect(row.remaining).to.equal(0);
    for (const [i, b] of buyers.entries()) {
      const m = await moneyOf(s, b.id);
      const bought = replies[i]!.status === 202;
      expect(m.wallet("USD"), `buyer ${i}`).to.equal(bought ? 5000 - 1999 : 5000);
      expect(m.ledgerSum("USD")).to.equal(m.wallet("USD"));
    }
    console.log(`      race: 300 answered in ${answeredMs} ms, 30 settled ${settledMs} ms after the first request`);
  });

  it("when one buyer fires 20 requests at once at a maxPerUser=1 item, then exactly one is accepted and one unit sold", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 10, maxPerUser: 1 });
    const buyer = await makeBuyer(s, { USD: 100_000 });
    const replies = await Promise.all(Array.from({ length: 20 }, () => order(s, buyer.token, item.id)));
    expect(replies.filter((r) => r.status === 202)).to.have.length(1);
    expect(replies.filter((r) => r.status === 409 && r.body.code === "LIMIT_EXCEEDED")).to.have.length(19);
    const db = s.api.deps.db;
    await waitFor("the order settled", async () => (await db.order.count({ where: { userId: buyer.id, status: "COMPLETED" } })) === 1);
    const m = await moneyOf(s, buyer.id);
    expect(m.ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(1);
    expect((await itemRemaining(db, item.id))).to.equal(9);
  });

  it("when the same Idempotency-Key is sent twice, then both answers are the same order and one unit is reserved", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 5, maxPerUser: 3 });
    const buyer = await makeBuyer(s);
    const key = { "idempotency-key": `k-${buyer.id}` };
    const [a, b] = await Promise.all([order(s, buyer.token, item.id, 1, key), order(s, buyer.token, item.id, 1, key)]);
    const c = await order(s, buyer.token, item.id, 1, key);
    expect([a.status, b.status, c.status]).to.deep.equal([202, 202, 202]);
    expect(b.body.id).to.equal(a.body.id);
    expect(c.body).to.deep.equal(a.body);
    const left = await s.api.deps.gate.remaining([item.id]);
    expect(left.get(item.id)).to.equal(4);
    const other = await order(s, buyer.token, item.id, 2, key);
    expect(other.status).to.equal(422);
    expect(other.body.code).to.equal("IDEMPOTENCY_KEY_REUSED");
    await waitFor("settled once", async () => (await s.api.deps.db.order.count({ where: { userId: buyer.id, status: "COMPLETED" } })) === 1);
    expect((await moneyOf(s, buyer.id)).ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(1);
  });

  it("when 10 requests with the same Idempotency-Key race while the first must rebuild the item, five times, then each time all ten are answered 202 with one order", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 50, maxPerUser: 10 });
    const buyer = await makeBuyer(s);
    const ids: string[] = [];
    for (let round = 0; round < 5; round++) {
      // The item's state lost: the first request rebuilds it from PostgreSQL while its repeats wait.
      await s.api.deps.redis.del(s.api.deps.gate.keys.itemEpoch(item.id));
      const key = { "idempotency-key": `race-${round}-${buyer.id}` };
      const replies = await Promise.all(Array.from({ length: 10 }, () => order(s, buyer.token, item.id, 1, key)));
      expect(replies.map((r) => r.status), replies.map((r) => r.text).join("\n")).to.deep.equal(Array(10).fill(202));
      expect(new Set(replies.map((r) => r.body.id)).size).to.equal(1);
      ids.push(replies[0]!.body.id);
    }
    await waitFor("five orders settled", async () => (await s.api.deps.db.order.count({ where: { id: { in: ids }, status: "COMPLETED" } })) === 5);
    expect((await moneyOf(s, buyer.id)).ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(5);
  });
});
