import { parseConfig } from "@flashsale/config";
import { connectFirst, deleteTopology, queueNames, type QueueOptions } from "@flashsale/queue";

// Kept on globalThis: the runner (which deletes them at the end) and the test files (which use
// them) may load this module as two instances, and a Map of each would leave every queue behind.
// A leaked quorum queue is a Raft server with its files open on the broker, not an idle name.
const registry = globalThis as { __flashsaleUsedTopologies?: Map<string, QueueOptions> };
const used = (registry.__flashsaleUsedTopologies ??= new Map<string, QueueOptions>());

/** Remembers a queue prefix a test used, so the run can delete its queues at the end. */
export function useTopology(opts: QueueOptions): void {
  used.set(opts.prefix, opts);
}

/** The run's broker (RABBITMQ_URLS or RABBITMQ_URL), first node that answers. */
export function connectBroker(urls = parseConfig(process.env).rabbitmqUrls) {
  return connectFirst(urls);
}

export async function deleteUsedTopologies(): Promise<void> {
  if (used.size === 0) return;
  const conn = await connectBroker();
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
export async function queueCounts(prefix: string, urls?: string[]) {
  const conn = await connectBroker(urls);
  try {
    const ch = await conn.createChannel();
    const n = queueNames(prefix, "quorum"); // the settle and dead queues are named alike for both types
    const settle = await ch.checkQueue(n.settleQueue);
    const dead = await ch.checkQueue(n.deadQueue);
    return { settle: settle.messageCount, consumers: settle.consumerCount, dead: dead.messageCount };
  } finally {
    await conn.close();
  }
}
