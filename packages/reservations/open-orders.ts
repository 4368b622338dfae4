import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface OpenOrderCounts {
  pending: number;
  processing: number;
}

/**
 * How many orders are PENDING (reserved, queued) and PROCESSING (a worker holds them), over
 * the order tags given: per tag, the cardinalities of two sorted sets that reserve.lua and
 * begin-settle.lua fill and finish-settle.lua and void-order.lua empty when the order ends,
 * read in one MULTI (one slot). Entries older than `maxAgeMs` (an order record's lifetime) are
 * pruned first, so an order whose end Redis never heard of cannot be counted for ever.
 */
export async function openOrderCounts(redis: ScriptedRedis, k: Keys, tags: Iterable<string>, now: Date, maxAgeMs: number): Promise<OpenOrderCounts> {
  const oldest = `(${now.getTime() - maxAgeMs}`;
  const counts = await Promise.all(
    [...new Set(tags)].map(async (tag) => {
      const out = await redis
        .multi()
        .zremrangebyscore(k.ordersPending(tag), "-inf", oldest)
        .zremrangebyscore(k.ordersProcessing(tag), "-inf", oldest)
        .zcard(k.ordersPending(tag))
        .zcard(k.ordersProcessing(tag))
        .exec();
      if (!out) throw new Error("open-order counts: MULTI aborted");
      for (const [err] of out) if (err) throw err;
      return { pending: Number(out[2]![1]), processing: Number(out[3]![1]) };
    }),
  );
  return counts.reduce((sum, c) => ({ pending: sum.pending + c.pending, processing: sum.processing + c.processing }), { pending: 0, processing: 0 });
}
