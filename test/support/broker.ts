import amqp from "amqplib";
import { deleteTopology, queueNames, type QueueOptions } from "@flashsale/queue";

const used = new Map<string, QueueOptions>();

/** Remembers a queue prefix a test used, so the run can delete its queues at the end. */
export function useTopology(opts: QueueOptions): void {
  used.set(opts.prefix, opts);
}

export async function deleteUsedTopologies(): Promise<void> {
  if (used.size === 0) return;
  const conn = await amqp.connect(process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672");
  try {
    for (const opts of used.values()) {
      const ch = await conn.createChannel();
      await deleteTopology(ch, opts).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close();
  }
}

/** Messages and consumers of a prefix's settle and dead queues, read from the broker. */
export async function queueCounts(prefix: string) {
  const conn = await amqp.connect(process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672");
  try {
    const ch = await conn.createChannel();
    const n = queueNames(prefix);
    const settle = await ch.checkQueue(n.settleQueue);
    const dead = await ch.checkQueue(n.deadQueue);
    return { settle: settle.messageCount, consumers: settle.consumerCount, dead: dead.messageCount };
  } finally {
    await conn.close();
  }
}
