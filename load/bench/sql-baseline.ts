import { randomUUID } from "node:crypto";
import pg from "pg";
import { createDb, pgSettleSql, prismaSettleSql, settleOrder, type SettleSql } from "@flashsale/db";
import { quantile } from "./settle-run";
import type { FixtureBuyer } from "../fixtures/buyers";
import type { BenchRow } from "./table";

export type SqlVia = "pg" | "prisma";

/** One connection that settles: a plain pg client, or a Prisma client over a pool of one. */
async function connect(databaseUrl: string, via: SqlVia): Promise<{ sql: SettleSql; end(): Promise<void> }> {
  if (via === "prisma") {
    const db = createDb(databaseUrl, 1);
    return { sql: prismaSettleSql(db), end: () => db.$disconnect() };
  }
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  return { sql: pgSettleSql(c), end: () => c.end() };
}

/**
 * The settle benchmark's baseline: `clients` connections each calling the very settle the
 * worker runs (settleOrder -> settle_order(), one statement in autocommit) in a loop until
 * `count` one-line orders are done, measured like the workers (10th–90th percentile). No
 * broker, no Redis: what is left of the worker's cost is the database call itself.
 */
export async function runSqlBaseline(databaseUrl: string, buyers: FixtureBuyer[], itemId: string, price: number, clients: number, count: number, via: SqlVia = "pg"): Promise<BenchRow> {
  const conns = await Promise.all(Array.from({ length: clients }, () => connect(databaseUrl, via)));
  const ends: number[] = [];
  const lat: number[] = [];
  let errors = 0;
  let next = 0;
  try {
    await Promise.all(
      conns.map(async (c) => {
        while (next < count) {
          const buyer = buyers[next++ % buyers.length]!;
          const t0 = performance.now();
          const cmd = { orderId: randomUUID(), userId: buyer.id, lines: [{ itemId, quantity: 1, price }], total: price, currency: "USD", createdAt: new Date().toISOString() };
          const outcome = await settleOrder(c.sql, cmd, new Date());
          if (outcome.status !== "COMPLETED") errors++;
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
    name: sqlBaselineName(clients, via),
    rate: (inWindow * 1000) / (hi - lo),
    unit: "tx/s",
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1] ?? NaN,
    errors,
    total: ends.length,
    ...(via === "prisma" ? { baseline: sqlBaselineName(clients, "pg"), note: "the same call through Prisma's $queryRawUnsafe" } : {}),
  };
}

export function sqlBaselineName(clients: number, via: SqlVia = "pg"): string {
  return `SQL baseline${via === "prisma" ? " via Prisma" : ""}, ${clients} client${clients > 1 ? "s" : ""}`;
}
