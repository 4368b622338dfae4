import type { Channel } from "amqplib";

export type QueueType = "quorum" | "classic";

export interface QueueOptions {
  prefix: string;
  type: QueueType;
  retryDelaysMs: number[];
}

/**
 * The names of every exchange and queue, derived from one prefix (tests use their own).
 * Quorum retry queues have names of their own (`retry-quorum`): a broker that already holds
 * the classic retry queues of an older release would refuse to redeclare them as quorum
 * (PRECONDITION_FAILED), and a second queue bound to the same exchange and key would copy
 * every retry. The classic ones are left to drain (their TTL still dead-letters each message
 * back to the settle queue) and can be deleted once empty.
 */
export function names(prefix: string, type: QueueType) {
  const retry = type === "quorum" ? `${prefix}.orders.retry-quorum` : `${prefix}.orders.retry`;
  return {
    exchange: `${prefix}.orders`,
    retryExchange: retry,
    settleQueue: `${prefix}.orders.settle`,
    deadQueue: `${prefix}.orders.dead`,
    retryQueue: (i: number) => `${retry}.${i}`,
    settleKey: "settle",
    deadKey: "dead",
    retryKey: (i: number) => `retry.${i}`,
  };
}

export type Names = ReturnType<typeof names>;

/**
 * Quorum retry queues: replicated like the settle queue, and dead-lettering at least once
 * (the message leaves the retry queue only once the settle queue confirmed it), which
 * RabbitMQ allows only with `reject-publish` overflow. Classic ones dead-letter at most once.
 */
function retryArguments(type: QueueType): Record<string, unknown> {
  if (type === "classic") return { "x-queue-type": "classic" };
  return { "x-queue-type": "quorum", "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish" };
}

/**
 * Declares the durable topology; both the API and the workers call it, so either may start
 * first. A retry queue per delay holds a message for its TTL, then dead-letters it back to
 * the settle queue. Every queue has the configured type (quorum unless QUEUE_TYPE=classic).
 */
export async function declareTopology(ch: Channel, opts: QueueOptions): Promise<Names> {
  const n = names(opts.prefix, opts.type);
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
        ...retryArguments(opts.type),
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
  const n = names(opts.prefix, opts.type);
  for (const [i] of opts.retryDelaysMs.entries()) await ch.deleteQueue(n.retryQueue(i));
  await ch.deleteQueue(n.settleQueue);
  await ch.deleteQueue(n.deadQueue);
  await ch.deleteExchange(n.exchange);
  await ch.deleteExchange(n.retryExchange);
}
