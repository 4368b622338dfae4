import { expect } from "chai";
import type { Channel } from "amqplib";
import { queueNames } from "@flashsale/queue";
import { isolatedQueue, makeBuyer, startStack, testConfig, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { connectBroker, useTopology } from "../support/broker";
import { call } from "../support/http";
import { waitFor } from "../support/wait";

/** The topology of the releases before quorum retry queues: quorum settle and dead queues, classic retry queues. */
async function declareOldTopology(ch: Channel, prefix: string, delays: number[]): Promise<void> {
  const n = queueNames(prefix, "quorum");
  await ch.assertExchange(n.exchange, "direct", { durable: true });
  await ch.assertExchange(`${prefix}.orders.retry`, "direct", { durable: true });
  await ch.assertQueue(n.settleQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await ch.bindQueue(n.settleQueue, n.exchange, n.settleKey);
  await ch.assertQueue(n.deadQueue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  await ch.bindQueue(n.deadQueue, n.exchange, n.deadKey);
  for (const [i, delay] of delays.entries()) {
    const q = `${prefix}.orders.retry.${i}`;
    await ch.assertQueue(q, { durable: true, arguments: { "x-queue-type": "classic", "x-message-ttl": delay, "x-dead-letter-exchange": n.exchange, "x-dead-letter-routing-key": n.settleKey } });
    await ch.bindQueue(q, `${prefix}.orders.retry`, `retry.${i}`);
  }
}

describe("a broker upgraded in place, with the classic retry queues of an earlier release", function () {
  this.timeout(60_000);
  let s: Stack | undefined;
  const env = isolatedQueue();
  const cfg = testConfig(env);
  const old = queueNames(cfg.queue.prefix, "classic");

  after(async () => {
    await s?.stop();
    const conn = await connectBroker();
    try {
      for (const [i] of cfg.queue.retryDelaysMs.entries()) await (await conn.createChannel()).deleteQueue(old.retryQueue(i));
      await (await conn.createChannel()).deleteExchange(old.retryExchange);
    } finally {
      await conn.close();
    }
  });

  it("when the stack starts on quorum queues, then it declares its quorum retry queues beside the old ones (no PRECONDITION_FAILED), and a message left in an old one still reaches the settle queue and settles", async () => {
    const conn = await connectBroker();
    try {
      const ch = await conn.createConfirmChannel();
      await declareOldTopology(ch, cfg.queue.prefix, cfg.queue.retryDelaysMs);
      useTopology(cfg.queue);
      s = await startStack({ workers: 0, env });
      expect((await call(s.url, "GET", "/readyz")).status).to.equal(200);
      const n = queueNames(cfg.queue.prefix, "quorum");
      for (const [i] of cfg.queue.retryDelaysMs.entries()) await ch.checkQueue(n.retryQueue(i));
      const item = await makeItem(s, { stock: 2 });
      const r = await order(s, (await makeBuyer(s)).token, item.id);
      expect(r.status, r.text).to.equal(202);
      // Park the order's message in an old classic retry queue, as a worker of the earlier release did.
      const msg = await waitFor("the message in the settle queue", async () => await ch.get(n.settleQueue, { noAck: false }));
      ch.publish(old.retryExchange, old.retryKey(0), msg.content, { ...msg.properties, persistent: true });
      await ch.waitForConfirms();
      ch.ack(msg);
      await s.addWorker();
      await waitFor("settled after its old retry queue's TTL", async () => (await s!.api.deps.db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED");
      expect((await ch.checkQueue(old.retryQueue(0))).messageCount).to.equal(0);
      await ch.close();
    } finally {
      await conn.close();
    }
  });
});
