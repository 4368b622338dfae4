import type { Db } from "./client.ts";
import { Prisma } from "./generated/client.ts";
import { orderHistorySql, type OrderFilter, type OrderPosition } from "./order-history.ts";

export interface ExplainOptions {
  /** Run the query too and report actual rows, time and buffers (EXPLAIN ANALYZE). */
  analyze?: boolean;
  /**
   * Price sequential scans and sorts out of reach: if the plan still has one, no index can
   * serve this filter in order, whatever the table's size (what the tests assert).
   */
  indexesOnly?: boolean;
}

/** PostgreSQL's plan, as text lines, for the page query GET /orders runs with this filter. */
export async function explainOrderHistory(db: Db, f: OrderFilter, limit: number, after?: OrderPosition, opts: ExplainOptions = {}): Promise<string[]> {
  return db.$transaction(async (tx) => {
    if (opts.indexesOnly) {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_sort = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_incremental_sort = off");
    }
    const how = Prisma.raw(opts.analyze ? "ANALYZE, BUFFERS, COSTS OFF, TIMING ON" : "COSTS OFF");
    const rows = await tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN (${how}) ${orderHistorySql(f, limit + 1, after)}`);
    return rows.map((r) => r["QUERY PLAN"]);
  });
}
