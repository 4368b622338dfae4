import { randomUUID } from "node:crypto";
import { expect } from "chai";
import pg from "pg";
import { settleOrder, pgSettleSql, itemRemaining, refundOrder } from "@flashsale/db";
import { isolatedQueue, makeBuyer, makeBuyers, startStack, type Stack } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { call } from "../support/http";
import { waitFor } from "../support/wait";

/** An item's stock buckets, in bucket order. */
async function buckets(s: Stack, itemId: string): Promise<number[]> {
  const rows = await s.api.deps.db.$queryRawUnsafe<{ remaining: number }[]>(
    `SELECT remaining FROM item_stock_buckets WHERE item_id = $1::uuid ORDER BY bucket`, itemId);
  return rows.map((r) => r.remaining);
}

const setBuckets = (s: Stack, itemId: string, values: number[]) =>
  s.api.deps.db.$executeRawUnsafe(
    `UPDATE item_stock_buckets b SET remaining = v.r FROM unnest($2::int[]) WITH ORDINALITY AS v(r, n) WHERE b.item_id = $1::uuid AND b.bucket = v.n - 1`,
    itemId, values);

const cmdFor = (userId: string, itemId: string, quantity: number, price: number) => ({
  orderId: randomUUID(), userId, lines: [{ itemId, quantity, price }], total: price * quantity, currency: "USD", createdAt: new Date().toISOString(),
});

describe("stock buckets: settling one item from many rows", function () {
  this.timeout(180_000);
  let s: Stack;
  let pool: pg.Pool;
  before(async () => {
    s = await startStack({ workers: 8, env: isolatedQueue() });
    pool = new pg.Pool({ connectionString: s.cfg.databaseUrl, max: 8 });
  });
  after(async () => {
    await pool.end();
    await s.stop();
  });

  it("when 8 workers settle 2,000 accepted orders of one item at once, then exactly its stock is sold, no bucket goes below zero and every wallet equals its ledger", async () => {
    const item = await makeItem(s, { stock: 2000, price: 300, maxPerUser: 1 });
    const buyers = await makeBuyers(s, 2000, 1000);
    const replies: { status: number; body: { id: string } }[] = [];
    for (let i = 0; i < buyers.length; i += 200) {
      replies.push(...(await Promise.all(buyers.slice(i, i + 200).map((b) => order(s, b.token, item.id)))));
    }
    const ids = replies.filter((r) => r.status === 202).map((r) => r.body.id);
    expect(ids).to.have.length(2000);
    const db = s.api.deps.db;
    await waitFor("2,000 orders settled", async () => (await db.order.count({ where: { id: { in: ids } } })) === 2000, 150_000);
    expect(await db.order.count({ where: { id: { in: ids }, status: "COMPLETED" } })).to.equal(2000);
    const b = await buckets(s, item.id);
    expect(b).to.have.length(16);
    expect(Math.min(...b)).to.equal(0);
    expect(b.reduce((x, y) => x + y, 0)).to.equal(0);
    const wrong = await db.$queryRawUnsafe<{ n: number }[]>(`
      SELECT count(*)::int AS n FROM wallets w
      WHERE w.amount <> (SELECT COALESCE(sum(delta), 0) FROM ledger_entries l WHERE l.user_id = w.user_id AND l.currency = w.currency)
        AND w.user_id = ANY($1::uuid[])`, buyers.map((x) => x.id));
    expect(wrong[0]!.n).to.equal(0);
  });

  it("when 8 connections settle 2,000 orders of a 1,500-unit item that Redis never guarded, then the database alone sells exactly 1,500 and refuses 500 SOLD_OUT", async () => {
    for (let round = 0; round < 2; round++) {
      const item = await makeItem(s, { stock: 1500, price: 10, maxPerUser: 10 });
      const buyers = await makeBuyers(s, 200, 1_000);
      const cmds = Array.from({ length: 2000 }, (_, i) => cmdFor(buyers[i % 200]!.id, item.id, 1, 10));
      let next = 0;
      const outcomes: string[] = [];
      const sql = pgSettleSql(pool);
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < cmds.length) {
          const o = await settleOrder(sql, cmds[next++]!, new Date());
          outcomes.push(o.status === "REJECTED" ? `REJECTED ${o.reason}` : o.status);
        }
      }));
      expect(outcomes.filter((o) => o === "COMPLETED")).to.have.length(1500);
      expect(outcomes.filter((o) => o === "REJECTED SOLD_OUT")).to.have.length(500);
      expect(Math.min(...(await buckets(s, item.id)))).to.equal(0);
      expect(await itemRemaining(s.api.deps.db, item.id)).to.equal(0);
      for (const b of buyers.slice(0, 20)) {
        const m = await moneyOf(s, b.id);
        expect(m.ledgerSum("USD")).to.equal(m.wallet("USD"));
      }
    }
  });

  it("when 8 connections race the last units of an item again and again (where searching a bucket finds them emptied under it), then no settle deadlocks and exactly the stock is sold each time", async () => {
    // The end of a sale is where a settle's search for one free bucket meets buckets other
    // settles just emptied, and where the fallback waits for all of them: 30 sales of 40 units
    // to 60 orders each (one deadlock aborted a settle here before the search ran in a
    // subtransaction of its own).
    const buyers = await makeBuyers(s, 60, 1_000_000);
    const sql = pgSettleSql(pool);
    const errors: string[] = [];
    for (let round = 0; round < 30; round++) {
      const item = await makeItem(s, { stock: 40, price: 1, maxPerUser: 1000 });
      const cmds = buyers.map((b) => cmdFor(b.id, item.id, 1, 1));
      let next = 0;
      const outcomes: string[] = [];
      await Promise.all(Array.from({ length: 8 }, async () => {
        while (next < cmds.length) {
          const cmd = cmds[next++]!;
          try {
            const o = await settleOrder(sql, cmd, new Date());
            outcomes.push(o.status);
          } catch (err) {
            errors.push((err as Error).message);
          }
        }
      }));
      expect(errors, `round ${round}`).to.deep.equal([]);
      expect(outcomes.filter((o) => o === "COMPLETED"), `round ${round}`).to.have.length(40);
      expect(await itemRemaining(s.api.deps.db, item.id)).to.equal(0);
    }
  });

  it("when the bucket a settle would start from is empty and one other bucket has units, then the order still COMPLETES from that bucket", async () => {
    const item = await makeItem(s, { stock: 16, price: 10, maxPerUser: 5 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    await setBuckets(s, item.id, [0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0]);
    const o = await settleOrder(pgSettleSql(pool), cmdFor(buyer.id, item.id, 1, 10), new Date());
    expect(o.status).to.equal("COMPLETED");
    expect(await buckets(s, item.id)).to.deep.equal([0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it("when no single bucket holds the line's quantity but several together do, then it COMPLETES from several; past their sum it is REJECTED SOLD_OUT and nothing is taken", async () => {
    const item = await makeItem(s, { stock: 16, price: 10, maxPerUser: 10 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    await setBuckets(s, item.id, [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1]);
    const sql = pgSettleSql(pool);
    expect((await settleOrder(sql, cmdFor(buyer.id, item.id, 3, 10), new Date())).status).to.equal("COMPLETED");
    expect((await buckets(s, item.id)).reduce((a, b) => a + b, 0)).to.equal(1);
    const refused = await settleOrder(sql, cmdFor(buyer.id, item.id, 2, 10), new Date());
    expect(refused).to.include({ status: "REJECTED", reason: "SOLD_OUT" });
    expect((await buckets(s, item.id)).reduce((a, b) => a + b, 0)).to.equal(1);
    const m = await moneyOf(s, buyer.id);
    expect(m.wallet("USD")).to.equal(1000 - 30);
    expect(m.ledgerSum("USD")).to.equal(m.wallet("USD"));
  });

  it("when an item is restocked or an order refunded, then the units are spread over the buckets, not piled on one", async () => {
    const item = await makeItem(s, { stock: 16, price: 10, maxPerUser: 20 });
    expect(await buckets(s, item.id)).to.deep.equal(Array(16).fill(1));
    const r = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 35 } });
    expect(r.status, r.text).to.equal(200);
    const afterRestock = await buckets(s, item.id);
    expect(afterRestock.reduce((a, b) => a + b, 0)).to.equal(51);
    expect(Math.max(...afterRestock) - Math.min(...afterRestock)).to.be.at.most(1);

    const buyer = await makeBuyer(s, { USD: 1000 });
    await setBuckets(s, item.id, [...Array(15).fill(0), 17]);
    const cmd = cmdFor(buyer.id, item.id, 16, 10);
    expect((await settleOrder(pgSettleSql(pool), cmd, new Date())).status).to.equal("COMPLETED");
    expect(await buckets(s, item.id)).to.deep.equal([...Array(15).fill(0), 1]);
    await s.api.deps.db.$transaction((tx) => refundOrder(tx, cmd.orderId));
    const afterRefund = await buckets(s, item.id);
    expect(afterRefund.reduce((a, b) => a + b, 0)).to.equal(17);
    expect(afterRefund).to.deep.equal([...Array(15).fill(1), 2]);
    expect(await itemRemaining(s.api.deps.db, item.id)).to.equal(17);
  });

  it("when a settle is delivered again after it committed, then the second call returns the first outcome and changes nothing", async () => {
    const item = await makeItem(s, { stock: 5, price: 10, maxPerUser: 5 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    const cmd = cmdFor(buyer.id, item.id, 2, 10);
    const sql = pgSettleSql(pool);
    const [a, b] = await Promise.all([settleOrder(sql, cmd, new Date()), settleOrder(sql, cmd, new Date())]);
    expect([a.status, b.status]).to.deep.equal(["COMPLETED", "COMPLETED"]);
    expect([a.fresh, b.fresh].filter(Boolean)).to.have.length(1);
    const again = await settleOrder(sql, cmd, new Date());
    expect(again).to.include({ status: "COMPLETED", fresh: false });
    expect(await itemRemaining(s.api.deps.db, item.id)).to.equal(3);
    expect((await moneyOf(s, buyer.id)).wallet("USD")).to.equal(980);
  });
});
