import type { BenchRow } from "./table";

export interface TargetResult {
  name: string;
  met: boolean;
  measured: string;
}

/** Issue 5's targets for this machine, judged against the measured rows. */
export function judgeTargets(rows: BenchRow[], apiRssMb: number, connections: number, sales: { workers: number; answeredPerSec: number; settledPerSec: number; drainMs: number }[] = []): TargetResult[] {
  const row = (name: string) => rows.find((r) => r.name === name);
  const out: TargetResult[] = [];
  const ratio = (name: string, min: number) => {
    const r = row(name);
    if (r?.ratio === undefined) return;
    out.push({ name: `${name} ≥ ${min} of its baseline`, met: r.ratio >= min, measured: `${r.ratio.toFixed(2)} (${r.rate.toFixed(0)} ${r.unit} vs ${r.baseline})` });
  };
  const p99 = (name: string) => {
    const r = row(name);
    if (!r) return;
    out.push({ name: `${name} p99 ≤ 25 ms at ${connections} connections`, met: r.p99 <= 25, measured: `${r.p99} ms` });
  };
  ratio("POST /orders, accept", 0.5);
  p99("POST /orders, accept");
  ratio("POST /orders, sold out", 0.8);
  p99("POST /orders, sold out");
  for (const k of ["1 worker", "2 workers", "4 workers"]) ratio(`settle, ${k}`, 0.7);
  // Issue 9: one hot item, settled by more workers.
  const s1 = row("settle, 1 worker");
  const s4 = row("settle, 4 workers");
  if (s4) out.push({ name: "settle, 4 workers ≥ 1,000 orders/s (one hot item)", met: s4.rate >= 1000, measured: `${s4.rate.toFixed(0)} orders/s` });
  if (s1 && s4) out.push({ name: "settle, 4 workers ≥ 2.5× 1 worker", met: s4.rate >= 2.5 * s1.rate, measured: `${(s4.rate / s1.rate).toFixed(2)}×` });
  const sale = (k: number) => sales.find((x) => x.workers === k);
  for (const x of sales) out.push({ name: `sale, ${x.workers} worker${x.workers > 1 ? "s" : ""}: last settled ≤ 2 s after the last 202`, met: x.drainMs <= 2000, measured: `${(x.drainMs / 1000).toFixed(2)} s` });
  if (sale(1) && sale(4)) out.push({ name: "sale: answered/s with 4 workers ≥ with 1", met: sale(4)!.answeredPerSec >= sale(1)!.answeredPerSec, measured: `${sale(4)!.answeredPerSec.toFixed(0)} vs ${sale(1)!.answeredPerSec.toFixed(0)}` });
  out.push({ name: "API RSS ≤ 200 MB under load", met: apiRssMb <= 200, measured: `${apiRssMb.toFixed(0)} MB` });
  return out;
}
