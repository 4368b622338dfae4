import { randomUUID } from "node:crypto";
import pg from "pg";
import type { FixtureBuyer } from "../fixtures/buyers";
import type { BenchRow } from "./table";

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/**
 * The statements settleOrder sends for a one-line order that completes (packages/db
 * settle-order.ts), in the same order and transaction shape, as plain SQL over one pg client.
 */
async function settleOnce(c: pg.Client, buyer: FixtureBuyer, itemId: string, price: number): Promise<void> {
  const orderId = randomUUID();
  const now = new Date();
  await c.query(`SELECT status, reason FROM orders WHERE id = $1::uuid`, [orderId]);
  await c.query("BEGIN");
  try {
    await c.query(
      `INSERT INTO orders (id, user_id, status, reason, total, currency, idempotency_key, created_at, started_at, completed_at, updated_at)
       VALUES ($1::uuid, $2::uuid, 'PROCESSING', NULL, $3, 'USD', NULL, $4, $4, NULL, now()) ON CONFLICT (id) DO NOTHING`,
      [orderId, buyer.id, price, now],
    );
    await c.query(`INSERT INTO order_lines (order_id, item_id, quantity, price) VALUES ($1::uuid, $2::uuid, 1, $3)`, [orderId, itemId, price]);
    const item = await c.query(
      `UPDATE items SET remaining = remaining - 1 WHERE id = $1::uuid AND remaining >= 1 RETURNING reward_ppm, max_per_user`,
      [itemId],
    );
    const max = item.rows[0].max_per_user as number;
    await c.query(
      `INSERT INTO holdings (user_id, item_id, quantity, max_per_user) SELECT $1::uuid, $2::uuid, 1, $3 WHERE 1 <= $3
       ON CONFLICT (user_id, item_id) DO UPDATE SET quantity = holdings.quantity + EXCLUDED.quantity
       WHERE holdings.quantity + EXCLUDED.quantity <= holdings.max_per_user`,
      [buyer.id, itemId, max],
    );
    await c.query(
      `UPDATE wallets SET amount = amount - $3, updated_at = now() WHERE user_id = $1::uuid AND currency = $2 AND amount >= $3 RETURNING amount`,
      [buyer.id, "USD", price],
    );
    await c.query(
      `INSERT INTO ledger_entries (id, user_id, currency, delta, reason, order_id, created_at) VALUES ($1::uuid, $2::uuid, 'USD', $3, 'PURCHASE', $4::uuid, now())`,
      [randomUUID(), buyer.id, -price, orderId],
    );
    await c.query(`UPDATE orders SET status = 'COMPLETED', reward_points = 0, completed_at = now(), updated_at = now() WHERE id = $1::uuid`, [orderId]);
    await c.query("COMMIT");
  } catch (err) {
    await c.query("ROLLBACK");
    throw err;
  }
}

/**
 * The settle benchmark's baseline: `clients` plain pg clients each running the settle SQL
 * in a loop until `count` orders are done, measured like the workers (10th–90th percentile).
 */
export async function runSqlBaseline(databaseUrl: string, buyers: FixtureBuyer[], itemId: string, price: number, clients: number, count: number): Promise<BenchRow> {
  const conns = await Promise.all(
    Array.from({ length: clients }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  const ends: number[] = [];
  const lat: number[] = [];
  let next = 0;
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (next < count) {
          const buyer = buyers[next++ % buyers.length]!;
          const t0 = performance.now();
          await settleOnce(c, buyer, itemId, price);
          lat.push(performance.now() - t0);
          ends.push(performance.now());
        }
      }),
    );
  } finally {
    await Promise.all(conns.map((c) => c.end()));
  }
  ends.sort((a, b) => a - b);
  lat.sort((a, b) => a - b);
  const lo = quantile(ends, 0.1);
  const hi = quantile(ends, 0.9);
  const inWindow = ends.filter((t) => t > lo && t <= hi).length;
  return {
    name: `SQL baseline, ${clients} client${clients > 1 ? "s" : ""}`,
    rate: (inWindow * 1000) / (hi - lo),
    unit: "tx/s",
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1] ?? NaN,
    errors: 0,
    total: ends.length,
  };
}
