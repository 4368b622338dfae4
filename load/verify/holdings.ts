import type { Db } from "@flashsale/db";
import { listed, rows, type Violation } from "./violation";

/**
 * Invariant 2: no buyer holds more than maxPerUser units of an item, counted both from the
 * COMPLETED orders and from the holdings table, and the two counts agree.
 */
export async function checkHoldings(db: Db): Promise<Violation[]> {
  const overOrders = await rows<{ user_id: string; item_id: string; units: string; max_per_user: number }>(
    db,
    `SELECT o.user_id::text, ol.item_id::text, SUM(ol.quantity)::text AS units, i.max_per_user
     FROM orders o JOIN order_lines ol ON ol.order_id = o.id JOIN items i ON i.id = ol.item_id
     WHERE o.status = 'COMPLETED'
     GROUP BY o.user_id, ol.item_id, i.max_per_user
     HAVING SUM(ol.quantity) > i.max_per_user`,
  );
  const overHoldings = await rows<{ user_id: string; item_id: string; quantity: number; max_per_user: number }>(
    db,
    `SELECT h.user_id::text, h.item_id::text, h.quantity, i.max_per_user
     FROM holdings h JOIN items i ON i.id = h.item_id
     WHERE h.quantity > i.max_per_user`,
  );
  const mismatched = await rows<{ user_id: string; item_id: string; held: number; units: string }>(
    db,
    `SELECT COALESCE(h.user_id, c.user_id)::text AS user_id, COALESCE(h.item_id, c.item_id)::text AS item_id,
            COALESCE(h.quantity, 0) AS held, COALESCE(c.units, 0)::text AS units
     FROM holdings h
     FULL JOIN (SELECT o.user_id, ol.item_id, SUM(ol.quantity) AS units
                FROM orders o JOIN order_lines ol ON ol.order_id = o.id
                WHERE o.status = 'COMPLETED' GROUP BY o.user_id, ol.item_id) c
       ON c.user_id = h.user_id AND c.item_id = h.item_id
     WHERE COALESCE(h.quantity, 0) <> COALESCE(c.units, 0)`,
  );
  return [
    ...listed(overOrders, (r) => ({ invariant: 2, check: "orders beyond maxPerUser", detail: `buyer ${r.user_id} has ${r.units} units of item ${r.item_id} (max ${r.max_per_user})` })),
    ...listed(overHoldings, (r) => ({ invariant: 2, check: "holding beyond maxPerUser", detail: `buyer ${r.user_id} holds ${r.quantity} of item ${r.item_id} (max ${r.max_per_user})` })),
    ...listed(mismatched, (r) => ({ invariant: 2, check: "holding differs from orders", detail: `buyer ${r.user_id}, item ${r.item_id}: holding ${r.held}, COMPLETED units ${r.units}` })),
  ];
}
