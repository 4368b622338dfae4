import type { Channel } from "amqplib";

export interface QueueOptions {
  prefix: string;
  type: "quorum" | "classic";
  retryDelaysMs: number[];
}

/** The names of every exchange and queue, derived from one prefix (tests use their own). */
export function names(prefix: string) {
  return {
    exchange: `${prefix}.orders`,
    retryExchange: `${prefix}.orders.retry`,
    settleQueue: `${prefix}.orders.settle`,
    deadQueue: `${prefix}.orders.dead`,
    retryQueue: (i: number) => `${prefix}.orders.retry.${i}`,
    settleKey: "settle",
    deadKey: "dead",
    retryKey: (i: number) => `retry.${i}`,
  };
}

export type Names = ReturnType<typeof names>;

/**
 * Declares the durable topology; both the API and the workers call it, so either may start
 * first. A retry queue per delay holds a message for its TTL, then dead-letters it back to
 * the settle queue.
 */
export async function declareTopology(ch: Channel, opts: QueueOptions): Promise<Names> {
  const n = names(opts.prefix);
  await ch.assertExchange(n.exchange, "direct", { durable: true });
  await ch.assertExchange(n.retryExchange, "direct", { durable: true });
  await ch.assertQueue(n.settleQueue, { durable: true, arguments: { "x-queue-type": opts.type } });
  await ch.bindQueue(n.settleQueue, n.exchange, n.settleKey);
  await ch.assertQueue(n.deadQueue, { durable: true, arguments: { "x-queue-type": opts.type } });
  await ch.bindQueue(n.deadQueue, n.exchange, n.deadKey);
  for (const [i, delay] of opts.retryDelaysMs.entries()) {
    await ch.assertQueue(n.retryQueue(i), {
      durable: true,
      arguments: {
        "x-queue-type": "classic",
        "x-message-ttl": delay,
        "x-dead-letter-exchange": n.exchange,
        "x-dead-letter-routing-key": n.settleKey,
      },
    });
    await ch.bindQueue(n.retryQueue(i), n.retryExchange, n.retryKey(i));
  }
  return n;
}

/** Deletes every queue and exchange of a prefix (tests clean up with it). */
export async function deleteTopology(ch: Channel, opts: QueueOptions): Promise<void> {
  const n = names(opts.prefix);
  for (const [i] of opts.retryDelaysMs.entries()) await ch.deleteQueue(n.retryQueue(i));
  await ch.deleteQueue(n.settleQueue);
  await ch.deleteQueue(n.deadQueue);
  await ch.deleteExchange(n.exchange);
  await ch.deleteExchange(n.retryExchange);
}
