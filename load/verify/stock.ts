import type { Db } from "@flashsale/db";
import { rows, type Violation } from "./violation";

export interface ItemSales {
  itemId: string;
  stock: number;
  remaining: number;
  sold: number;
  /** The item's emptiest stock bucket (remaining is the buckets' sum). */
  lowestBucket: number;
}

/** Units taken by COMPLETED orders per item, beside the item's stock and remaining. */
export async function itemSales(db: Db): Promise<ItemSales[]> {
  const found = await rows<{ id: string; stock: number; remaining: number; sold: string; lowest: number }>(
    db,
    `SELECT i.id::text AS id, i.stock, item_remaining(i.id) AS remaining, COALESCE(s.sold, 0)::text AS sold,
       (SELECT min(b.remaining) FROM item_stock_buckets b WHERE b.item_id = i.id) AS lowest
     FROM items i
     LEFT JOIN (SELECT ol.item_id, SUM(ol.quantity) AS sold
                FROM order_lines ol JOIN orders o ON o.id = ol.order_id
                WHERE o.status = 'COMPLETED' GROUP BY ol.item_id) s ON s.item_id = i.id`,
  );
  return found.map((r) => ({ itemId: r.id, stock: r.stock, remaining: r.remaining, sold: Number(r.sold), lowestBucket: r.lowest }));
}

/**
 * Invariant 1: no item sold beyond its stock. Units of COMPLETED orders ≤ stock, remaining ≥ 0, no stock bucket below 0,
 * and stock − remaining equals the units of COMPLETED orders (nothing taken without an order,
 * no order without its units).
 */
export async function checkStock(db: Db, sales?: ItemSales[]): Promise<Violation[]> {
  const out: Violation[] = [];
  for (const s of sales ?? (await itemSales(db))) {
    const v = (check: string, detail: string) => out.push({ invariant: 1, check, detail: `item ${s.itemId}: ${detail}` });
    if (s.sold > s.stock) v("oversold", `${s.sold} units sold of a stock of ${s.stock}`);
    if (s.remaining < 0) v("remaining below zero", `remaining ${s.remaining}`);
    if (s.lowestBucket < 0) v("stock bucket below zero", `a bucket at ${s.lowestBucket}`);
    if (s.stock - s.remaining !== s.sold) v("stock out of step with orders", `stock ${s.stock} - remaining ${s.remaining} ≠ ${s.sold} units of COMPLETED orders`);
  }
  return out;
}
