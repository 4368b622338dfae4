import type { Db } from "@flashsale/db";
import { spawnTs, type Child } from "./children";
import type { BenchRow } from "./table";

export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

/** Waits until every one of the orders has its row (written only on a final status). */
export async function waitSettled(db: Db, ids: string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT COUNT(*)::int AS n FROM orders WHERE id = ANY($1::uuid[])`, ids);
    if ((r[0]?.n ?? 0) >= ids.length) return;
    if (Date.now() > deadline) throw new Error(`only ${r[0]?.n} of ${ids.length} orders settled in ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 200));
  }
}

/**
 * When each order reached its final status: `completed_at`, which the settle function sets
 * in the statement that commits it (the worker's last Redis call and the ack follow within a
 * millisecond). Read from the database so the workers run at the production log level: a
 * debug line per order, written to a file, was a quarter of a worker's CPU.
 */
export async function settledTimes(db: Db, ids: string[]): Promise<Map<string, number>> {
  const rows = await db.$queryRawUnsafe<{ id: string; at: Date }[]>(`SELECT id::text, completed_at AS at FROM orders WHERE id = ANY($1::uuid[]) AND completed_at IS NOT NULL`, ids);
  return new Map(rows.map((r) => [r.id, r.at.getTime()]));
}

/**
 * Drains a pre-filled queue with `workers` worker processes (prefetch 1 each). Start-up is
 * not counted: the rate is the orders finished between the 10th and 90th percentile of
 * settle times, over that span. An order's latency runs from its started_at (the worker
 * took it) to its completed_at (its row written inside settle_order; the commit, Redis's final
 * status and the ack follow).
 */
export async function runSettle(db: Db, env: Record<string, string>, ids: string[], workers: number, nodeFlags: string[] = []): Promise<BenchRow> {
  const procs: Child[] = Array.from({ length: workers }, () => spawnTs("apps/worker/main.ts", env, { nodeFlags }));
  try {
    await waitSettled(db, ids, 600_000);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
  const settled = await settledTimes(db, ids);
  const rows = await db.$queryRawUnsafe<{ id: string; status: string; started: Date | null }[]>(
    `SELECT id::text, status::text, started_at AS started FROM orders WHERE id = ANY($1::uuid[])`,
    ids,
  );
  const done = rows.filter((r) => r.started && settled.has(r.id));
  const ends = done.map((r) => settled.get(r.id)!).sort((a, b) => a - b);
  const lat = done.map((r) => settled.get(r.id)! - r.started!.getTime()).sort((a, b) => a - b);
  const lo = quantile(ends, 0.1);
  const hi = quantile(ends, 0.9);
  const inWindow = ends.filter((t) => t > lo && t <= hi).length;
  return {
    name: `settle, ${workers} worker${workers > 1 ? "s" : ""}`,
    rate: hi > lo ? (inWindow * 1000) / (hi - lo) : NaN,
    unit: "orders/s",
    p50: quantile(lat, 0.5),
    p99: quantile(lat, 0.99),
    max: lat[lat.length - 1] ?? NaN,
    errors: rows.filter((r) => r.status !== "COMPLETED").length,
    total: rows.length,
    baseline: `SQL baseline, ${workers} client${workers > 1 ? "s" : ""}`,
    target: "≥ 0.7",
  };
}
