import type { OrderStatus, OrderView } from "@flashsale/domain";
import type { Db, Tx } from "./client.ts";

type OrderRow = {
  id: string;
  userId: string;
  status: string;
  reason: string | null;
  total: bigint;
  currency: string;
  rewardPoints: bigint;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  lines: { itemId: string; quantity: number; price: bigint }[];
};

/** An order row with its lines as the API shows it (the shape of GET /orders/:id). */
export function orderView(o: OrderRow): OrderView {
  return {
    id: o.id,
    userId: o.userId,
    status: o.status as OrderStatus,
    ...(o.reason ? { reason: o.reason } : {}),
    items: o.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, price: Number(l.price) })),
    total: Number(o.total),
    currency: o.currency,
    rewardPoints: Number(o.rewardPoints),
    createdAt: o.createdAt.toISOString(),
    ...(o.startedAt ? { startedAt: o.startedAt.toISOString() } : {}),
    ...(o.completedAt ? { completedAt: o.completedAt.toISOString() } : {}),
  };
}

/** An order from the database, with its lines, or null when no worker has written it yet. */
export async function findOrder(db: Db | Tx, id: string): Promise<OrderView | null> {
  // One raw statement (order and lines together): the hot read of buyers polling their order,
  // spared Prisma's per-call query compilation.
  const rows = await db.$queryRaw<(Omit<OrderRow, "lines"> & { lines: { itemId: string; quantity: number; price: string }[] })[]>`
    SELECT o.id::text AS "id", o.user_id::text AS "userId", o.status::text AS "status", o.reason, o.total, o.currency,
      o.reward_points AS "rewardPoints", o.created_at AS "createdAt", o.started_at AS "startedAt", o.completed_at AS "completedAt",
      COALESCE((SELECT json_agg(json_build_object('itemId', l.item_id, 'quantity', l.quantity, 'price', l.price::text) ORDER BY l.item_id)
        FROM order_lines l WHERE l.order_id = o.id), '[]'::json) AS "lines"
    FROM orders o WHERE o.id = ${id}::uuid`;
  const o = rows[0];
  return o ? orderView({ ...o, lines: o.lines.map((l) => ({ ...l, price: BigInt(l.price) })) }) : null;
}

/** The status alone, or null. */
export async function findOrderStatus(db: Db, id: string): Promise<{ status: OrderStatus; userId: string } | null> {
  const o = await db.order.findUnique({ where: { id }, select: { status: true, userId: true } });
  return o ? { status: o.status as OrderStatus, userId: o.userId } : null;
}
