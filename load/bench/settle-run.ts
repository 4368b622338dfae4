import { readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
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

/** When each order was settled (acked right after), from the workers' debug line `settled`. */
export function settledTimes(logFile: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of readFileSync(logFile, "utf8").split("\n")) {
    if (!line.includes('"settled"')) continue;
    const l = JSON.parse(line) as { time: number; orderId: string };
    out.set(l.orderId, l.time);
  }
  return out;
}

/**
 * Drains a pre-filled queue with `workers` worker processes (prefetch 1 each). Start-up is
 * not counted: the rate is the orders finished between the 10th and 90th percentile of
 * settle times, over that span. An order's latency runs from its started_at (the worker
 * took it) to the worker's `settled` log line (committed, released, marked; the ack follows).
 */
export async function runSettle(db: Db, env: Record<string, string>, ids: string[], workers: number, nodeFlags: string[] = []): Promise<BenchRow> {
  const logFile = path.join(os.tmpdir(), `flashsale-bench-workers-${process.pid}-${workers}.log`);
  rmSync(logFile, { force: true });
  const procs: Child[] = Array.from({ length: workers }, () => spawnTs("apps/worker/main.ts", { ...env, LOG_LEVEL: "debug" }, { stdoutFile: logFile, nodeFlags }));
  try {
    await waitSettled(db, ids, 600_000);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
  }
  const settled = settledTimes(logFile);
  rmSync(logFile, { force: true });
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
