import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface OpenOrderCounts {
  pending: number;
  processing: number;
}

/**
 * How many orders are PENDING (reserved, queued) and PROCESSING (a worker holds them): the
 * cardinalities of two sorted sets that reserve.lua and begin-settle.lua fill and
 * finish-settle.lua and void-order.lua empty when the order ends. Entries older than
 * `maxAgeMs` (an order record's lifetime) are pruned first, so an order whose end Redis never
 * heard of cannot be counted for ever. O(1) plus the pruning.
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
