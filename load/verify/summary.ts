import type { Db } from "@flashsale/db";
import { rows } from "./violation";

export interface SaleSummary {
  itemId?: string;
  stock?: number;
  remaining?: number;
  sold: number;
  orders: Record<string, number>;
  rejectedByReason: Record<string, number>;
  failed: number;
}

/** Orders by status, rejections by reason and units sold: of one item's orders, or of all. */
export async function saleSummary(db: Db, itemId?: string): Promise<SaleSummary> {
  const scope = itemId ? `WHERE o.id IN (SELECT order_id FROM order_lines WHERE item_id = $1::uuid)` : "";
  const params = itemId ? [itemId] : [];
  const byStatus = await rows<{ status: string; reason: string | null; n: number }>(
    db,
    `SELECT o.status::text, CASE WHEN o.status = 'REJECTED' THEN o.reason END AS reason, COUNT(*)::int AS n
     FROM orders o ${scope} GROUP BY 1, 2`,
    ...params,
  );
  const sold = await rows<{ units: string }>(
    db,
    `SELECT COALESCE(SUM(ol.quantity), 0)::text AS units FROM order_lines ol JOIN orders o ON o.id = ol.order_id
     WHERE o.status = 'COMPLETED' ${itemId ? "AND ol.item_id = $1::uuid" : ""}`,
    ...params,
  );
  const summary: SaleSummary = { itemId, sold: Number(sold[0]?.units ?? 0), orders: {}, rejectedByReason: {}, failed: 0 };
  for (const r of byStatus) {
    summary.orders[r.status] = (summary.orders[r.status] ?? 0) + r.n;
    if (r.status === "REJECTED") summary.rejectedByReason[r.reason ?? "?"] = (summary.rejectedByReason[r.reason ?? "?"] ?? 0) + r.n;
  }
  summary.failed = summary.orders.FAILED ?? 0;
  if (itemId) {
    const item = await rows<{ stock: number; remaining: number }>(db, `SELECT stock, item_remaining(id) AS remaining FROM items WHERE id = $1::uuid`, itemId);
    summary.stock = item[0]?.stock;
    summary.remaining = item[0]?.remaining;
  }
  return summary;
}
