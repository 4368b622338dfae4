import type { Config } from "@flashsale/config";
import type { Db } from "@flashsale/db";
import { connectFirst, queueNames } from "@flashsale/queue";
import { lostOrders } from "../verify/index.ts";

/** Messages waiting in the settle queue and its retry queues, read straight from RabbitMQ. */
export async function queueDepth(cfg: Config): Promise<number> {
  const conn = await connectFirst(cfg.rabbitmqUrls);
  try {
    const ch = await conn.createChannel();
    const n = queueNames(cfg.queue.prefix, cfg.queue.type);
    const queues = [n.settleQueue, ...cfg.queue.retryDelaysMs.map((_, i) => n.retryQueue(i))];
    let depth = 0;
    for (const q of queues) depth += (await ch.checkQueue(q)).messageCount;
    return depth;
  } finally {
    await conn.close();
  }
}

export interface Drained {
  drained: boolean;
  waitedMs: number;
  unsettled: number;
  depth: number;
}

/**
 * Waits until the queues are empty and every accepted order has its (terminal) row in
 * PostgreSQL — a worker writes the row only when it commits a final status — or the timeout.
 */
export async function waitForDrain(cfg: Config, db: Db, acceptedIds: string[], timeoutMs: number): Promise<Drained> {
  const t0 = Date.now();
  for (;;) {
    const depth = await queueDepth(cfg);
    const unsettled = (await lostOrders(db, acceptedIds)).length;
    if ((depth === 0 && unsettled === 0) || Date.now() - t0 > timeoutMs) {
      return { drained: depth === 0 && unsettled === 0, waitedMs: Date.now() - t0, unsettled, depth };
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** When the last of these orders reached its final status, in ms since the epoch (null if none did). */
export async function lastSettledAt(db: Db, orderIds: string[]): Promise<number | null> {
  if (orderIds.length === 0) return null;
  const r = await db.$queryRawUnsafe<{ at: Date | null }[]>(
    `SELECT MAX(COALESCE(completed_at, updated_at)) AS at FROM orders WHERE id = ANY($1::uuid[])`,
    orderIds,
  );
  return r[0]?.at ? r[0].at.getTime() : null;
}
