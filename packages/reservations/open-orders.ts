import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface OpenOrderCounts {
  pending: number;
  processing: number;
}

/**
 * How many orders are PENDING (reserved, queued) and PROCESSING (a worker holds them): the
 * cardinalities of two sorted sets that reserve.lua, begin-settle.lua and the settle/release
 * steps keep. Entries older than `maxAgeMs` (an order record's lifetime) are pruned first, so
 * an order whose end Redis never heard of cannot be counted for ever. O(1) plus the pruning.
 */
export async function openOrderCounts(redis: ScriptedRedis, k: Keys, now: Date, maxAgeMs: number): Promise<OpenOrderCounts> {
  const oldest = now.getTime() - maxAgeMs;
  const out = await redis
    .multi()
    .zremrangebyscore(k.ordersPending, "-inf", `(${oldest}`)
    .zremrangebyscore(k.ordersProcessing, "-inf", `(${oldest}`)
    .zcard(k.ordersPending)
    .zcard(k.ordersProcessing)
    .exec();
  const n = (i: number) => Number(out?.[i]?.[1] ?? 0);
  return { pending: n(2), processing: n(3) };
}

/** Forgets an order in both sets (it has ended: settled, released or voided); idempotent. */
export async function closeOpenOrder(redis: ScriptedRedis, k: Keys, orderId: string): Promise<void> {
  await redis.multi().zrem(k.ordersPending, orderId).zrem(k.ordersProcessing, orderId).exec();
}
