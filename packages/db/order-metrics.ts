import type { Db, Tx } from "./client.ts";

/** The statuses an order in PostgreSQL can have once committed (the worker inserts it settled). */
export const SETTLED_STATUSES = ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"] as const;
export type SettledStatus = (typeof SETTLED_STATUSES)[number];

export interface SettledOrderCounts {
  counts: Record<SettledStatus, number>;
  /** Mean of completedAt - createdAt over COMPLETED orders, in ms; null while there are none. */
  averageProcessingTimeMs: number | null;
}

/**
 * Orders per settled status and the mean processing time of COMPLETED orders, read from
 * order_counters (32 shards × 6 statuses, kept by statement triggers on orders), so the
 * cost does not grow with the orders table and the numbers always agree with it.
 */
export async function settledOrderCounts(db: Db | Tx): Promise<SettledOrderCounts> {
  const rows = await db.$queryRaw<{ status: string; orders: bigint; timed: bigint; ms: bigint }[]>`
    SELECT status::text AS status, sum(orders)::bigint AS orders, sum(timed_orders)::bigint AS timed,
      sum(processing_ms)::bigint AS ms
    FROM order_counters GROUP BY status`;
  const counts = Object.fromEntries(SETTLED_STATUSES.map((s) => [s, 0])) as Record<SettledStatus, number>;
  let average: number | null = null;
  for (const r of rows) {
    if ((SETTLED_STATUSES as readonly string[]).includes(r.status)) counts[r.status as SettledStatus] = Number(r.orders);
    if (r.status === "COMPLETED" && r.timed > 0n) average = Math.round(Number(r.ms) / Number(r.timed));
  }
  return { counts, averageProcessingTimeMs: average };
}
