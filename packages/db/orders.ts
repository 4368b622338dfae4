import type { OrderStatus, OrderView } from "@flashsale/domain";
import type { Db } from "./client";

/** An order from the database, with its lines, or null when no worker has written it yet. */
export async function findOrder(db: Db, id: string): Promise<OrderView | null> {
  const o = await db.order.findUnique({ where: { id }, include: { lines: true } });
  if (!o) return null;
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

/** The status alone, or null. */
export async function findOrderStatus(db: Db, id: string): Promise<{ status: OrderStatus; userId: string } | null> {
  const o = await db.order.findUnique({ where: { id }, select: { status: true, userId: true } });
  return o ? { status: o.status as OrderStatus, userId: o.userId } : null;
}
