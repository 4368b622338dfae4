import type { Db } from "@flashsale/db";
import { listed, rows, type Violation } from "./violation";

/**
 * Invariants 4 and 5 seen from the money: a PURCHASE ledger row only for a COMPLETED (or
 * since REFUNDED) order, at most one per order, and no completed order with a price left uncharged.
 */
export async function checkPurchases(db: Db): Promise<Violation[]> {
  const orphans = await rows<{ id: string; order_id: string | null; status: string | null }>(
    db,
    `SELECT l.id::text, l.order_id::text, o.status::text
     FROM ledger_entries l LEFT JOIN orders o ON o.id = l.order_id
     WHERE l.reason = 'PURCHASE' AND (o.id IS NULL OR o.status NOT IN ('COMPLETED', 'REFUNDED'))`,
  );
  const twice = await rows<{ order_id: string; n: number }>(
    db,
    `SELECT order_id::text, COUNT(*)::int AS n FROM ledger_entries
     WHERE reason = 'PURCHASE' AND order_id IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1`,
  );
  const uncharged = await rows<{ id: string; total: string }>(
    db,
    `SELECT o.id::text, o.total::text FROM orders o
     WHERE o.status IN ('COMPLETED', 'REFUNDED') AND o.total > 0
       AND NOT EXISTS (SELECT 1 FROM ledger_entries l WHERE l.order_id = o.id AND l.reason = 'PURCHASE')`,
  );
  return [
    ...listed(orphans, (r) => ({
      invariant: 5,
      check: "charge without a completed order",
      detail: `ledger row ${r.id}: order ${r.order_id ?? "none"} is ${r.status ?? "missing"}`,
    })),
    ...listed(twice, (r) => ({ invariant: 4, check: "charged twice", detail: `order ${r.order_id} has ${r.n} PURCHASE rows` })),
    ...listed(uncharged, (r) => ({ invariant: 4, check: "completed but not charged", detail: `order ${r.id} (total ${r.total}) has no PURCHASE row` })),
  ];
}
