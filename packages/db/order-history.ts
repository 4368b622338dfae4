import type { OrderStatus, OrderView } from "@flashsale/domain";
import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";
import { orderView } from "./orders.ts";

/** What GET /orders may filter on; `from` is inclusive, `to` exclusive (both on createdAt). */
export interface OrderFilter {
  userId?: string;
  status?: OrderStatus;
  itemId?: string;
  from?: Date;
  to?: Date;
}

/** A position in the listing: the sort key (createdAt desc, id desc) of the last row seen. */
export interface OrderPosition {
  createdAt: Date;
  id: string;
}

export interface OrderHistoryPage {
  data: OrderView[];
  next: OrderPosition | null;
}

const sql = Prisma.sql;
const and = (parts: Prisma.Sql[]) => (parts.length ? sql`AND ${Prisma.join(parts, " AND ")}` : Prisma.empty);

/**
 * The SQL that picks one page of order ids in (created_at desc, id desc) order. Each filter
 * combination has an index whose leading columns are its equality filters followed by
 * (created_at desc, id desc), so the page is read in index order with no sort (the plans
 * are in docs/explain-order-history.md):
 * - no item: orders (created_at, id), (status, …), (user_id, …) or (user_id, status, …);
 * - an item without a user: order_lines (item_id, …) or (item_id, status, …), whose
 *   created_at and status are trigger-kept copies of the order's;
 * - an item and a user: the user's index, each row checked against the order_lines key.
 */
export function orderHistorySql(f: OrderFilter, limit: number, after?: OrderPosition): Prisma.Sql {
  if (f.itemId && !f.userId) {
    const where = [sql`l.item_id = ${f.itemId}::uuid`];
    if (f.status) where.push(sql`l.status = ${f.status}::"OrderStatus"`);
    where.push(...window(sql`l.created_at`, sql`l.order_id`, f, after));
    return sql`SELECT l.order_id AS id, l.created_at AS "createdAt" FROM order_lines l
      WHERE ${Prisma.join(where, " AND ")}
      ORDER BY l.created_at DESC, l.order_id DESC LIMIT ${limit}`;
  }
  const where: Prisma.Sql[] = [];
  if (f.userId) where.push(sql`o.user_id = ${f.userId}::uuid`);
  if (f.status) where.push(sql`o.status = ${f.status}::"OrderStatus"`);
  if (f.itemId) where.push(sql`EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.item_id = ${f.itemId}::uuid)`);
  where.push(...window(sql`o.created_at`, sql`o.id`, f, after));
  return sql`SELECT o.id, o.created_at AS "createdAt" FROM orders o
    WHERE TRUE ${and(where)}
    ORDER BY o.created_at DESC, o.id DESC LIMIT ${limit}`;
}

function window(createdAt: Prisma.Sql, id: Prisma.Sql, f: OrderFilter, after?: OrderPosition): Prisma.Sql[] {
  const out: Prisma.Sql[] = [];
  if (f.from) out.push(sql`${createdAt} >= ${f.from}::timestamptz`);
  if (f.to) out.push(sql`${createdAt} < ${f.to}::timestamptz`);
  // A row comparison on the sort key: one index condition, so a page starts where the last
  // ended, whatever was inserted meanwhile (keyset paging; no OFFSET).
  if (after) out.push(sql`(${createdAt}, ${id}) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  return out;
}

/**
 * One page of settled orders, newest first, and the position after it. Keyset paging on
 * (createdAt, id): a row present when paging starts is listed exactly once, whatever is
 * inserted meanwhile. Orders still PENDING or PROCESSING live only in Redis and are not listed.
 */
export async function orderHistory(db: Db, f: OrderFilter, limit: number, after?: OrderPosition): Promise<OrderHistoryPage> {
  const rows = await db.$queryRaw<OrderPosition[]>(orderHistorySql(f, limit + 1, after));
  const page = rows.slice(0, limit);
  if (page.length === 0) return { data: [], next: null };
  const orders = await db.order.findMany({ where: { id: { in: page.map((r) => r.id) } }, include: { lines: { orderBy: { itemId: "asc" } } } });
  const byId = new Map(orders.map((o) => [o.id, o]));
  // An order deleted between the two reads is skipped; the position still moves past it.
  const data = page.flatMap((r) => (byId.has(r.id) ? [orderView(byId.get(r.id)!)] : []));
  const last = page[page.length - 1]!;
  return { data, next: rows.length > limit ? { createdAt: last.createdAt, id: last.id } : null };
}
