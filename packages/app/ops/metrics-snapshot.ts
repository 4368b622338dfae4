import { recentItemIds, settledOrderCounts, type Db } from "@flashsale/db";
import type { OrderStatus } from "@flashsale/domain";
import type { ReservationGate } from "@flashsale/reservations";
import type { OrderPublisher } from "@flashsale/queue";
import { lagging } from "../lagging-reads.ts";

export interface MetricsSnapshot {
  totalOrders: number;
  /** PENDING and PROCESSING are null while Redis does not answer. */
  orderCounts: Record<OrderStatus, number | null>;
  averageProcessingTimeMs: number | null;
  /** Each null while the broker does not answer. */
  queue: { depth: number | null; consumers: number | null; deadLettered: number | null };
}

export interface MetricsDeps {
  db: Db;
  /** The settled counts are read here (the replica, or the primary itself). */
  readDb: Db;
  gate: Pick<ReservationGate, "openOrders">;
  publisher: Pick<OrderPublisher, "stats">;
  now: () => Date;
}

/**
 * GET /metrics: settled orders from PostgreSQL's sharded counters (on the replica: they may lag), PENDING and PROCESSING
 * from Redis (those orders are nowhere else yet), the queue from the broker. The number of
 * reads grows with the items on sale (one MULTI per slot their orders live on), never with the
 * orders. Redis or the broker being
 * away leaves their numbers null rather than failing the whole answer.
 */
export async function metricsSnapshot(deps: MetricsDeps): Promise<MetricsSnapshot> {
  const [settled, open, queue] = await Promise.all([
    lagging(deps, settledOrderCounts),
    openOrders(deps).catch(() => null),
    deps.publisher.stats().catch(() => null),
  ]);
  const orderCounts = { PENDING: open?.pending ?? null, PROCESSING: open?.processing ?? null, ...settled.counts };
  return {
    totalOrders: Object.values(orderCounts).reduce<number>((sum, n) => sum + (n ?? 0), 0),
    orderCounts,
    averageProcessingTimeMs: settled.averageProcessingTimeMs,
    queue: queue ?? { depth: null, consumers: null, deadLettered: null },
  };
}

/** An order lives in Redis at most an order record's lifetime (7 days): only items whose sale was open since can have open orders. */
const OPEN_ORDER_HORIZON_MS = 7 * 86400_000;

/** PENDING and PROCESSING orders, counted over the slots of the items that can have them (from the primary: a new item counts at once). */
async function openOrders(deps: MetricsDeps) {
  const now = deps.now();
  const itemIds = await recentItemIds(deps.db, new Date(now.getTime() - OPEN_ORDER_HORIZON_MS));
  return deps.gate.openOrders(now, itemIds);
}
