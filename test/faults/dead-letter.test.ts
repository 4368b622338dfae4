import { expect } from "chai";
import { queueNames } from "@flashsale/queue";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { connectBroker, queueCounts } from "../support/broker";
import { waitFor } from "../support/wait";

describe("messages that cannot be settled", function () {
  this.timeout(60_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ workers: 1, env: isolatedQueue() });
  });
  after(async () => s.stop());

  it("when settling keeps failing (not a business refusal), then after the retries the order is FAILED, its units released and the message dead-lettered", async () => {
    const item = await makeItem(s, { stock: 3, name: `poison-${Date.now()}` });
    // A real database error on every attempt: a trigger refuses any update of this item's stock buckets.
    await s.api.deps.db.$executeRawUnsafe(`
      CREATE OR REPLACE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'poisoned item'; END $$`);
    await s.api.deps.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_poison_${item.id.replace(/-/g, "")} BEFORE UPDATE ON item_stock_buckets
      FOR EACH ROW WHEN (OLD.item_id = '${item.id}') EXECUTE FUNCTION refuse_poison()`);
    const buyer = await makeBuyer(s);
    const before = await queueCounts(s.cfg.queue.prefix);
    const r = await order(s, buyer.token, item.id);
    expect(r.status).to.equal(202);
    const failed = await waitFor("FAILED", async () => {
      const o = await s.api.deps.db.order.findUnique({ where: { id: r.body.id } });
      return o?.status === "FAILED" && o;
    });
    expect(failed.reason).to.match(/^RETRIES_EXHAUSTED/);
    await waitFor("units released", async () => (await s.api.deps.gate.remaining([item.id])).get(item.id) === 3);
    await waitFor("dead-lettered", async () => (await queueCounts(s.cfg.queue.prefix)).dead === before.dead + 1);
    const m = await moneyOf(s, buyer.id);
    expect(m.ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(0);
    expect(m.wallet("USD")).to.equal(100_000);
  });

  it("when a message cannot be parsed, then it goes straight to the dead-letter queue and the worker keeps settling", async () => {
    const before = await queueCounts(s.cfg.queue.prefix);
    const conn = await connectBroker();
    const ch = await conn.createConfirmChannel();
    const n = queueNames(s.cfg.queue.prefix, s.cfg.queue.type);
    ch.publish(n.exchange, n.settleKey, Buffer.from("{not json"), { persistent: true });
    ch.publish(n.exchange, n.settleKey, Buffer.from(JSON.stringify({ orderId: 42 })), { persistent: true });
    await ch.waitForConfirms();
    await conn.close();
    await waitFor("both dead-lettered", async () => (await queueCounts(s.cfg.queue.prefix)).dead === before.dead + 2);
    const item = await makeItem(s, { stock: 1 });
    const buyer = await makeBuyer(s);
    const r = await order(s, buyer.token, item.id);
    await waitFor("settled after the poison", async () => (await s.api.deps.db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED");
  });
});
