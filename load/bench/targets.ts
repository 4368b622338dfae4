import type { BenchRow } from "./table";

export interface TargetResult {
  name: string;
  met: boolean;
  measured: string;
}

/** Issue 5's targets for this machine, judged against the measured rows. */
export function judgeTargets(rows: BenchRow[], apiRssMb: number, connections: number): TargetResult[] {
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
  for (const k of ["1 worker", "2 workers", "4 workers"]) ratio(`settle, ${k}`, 0.5);
  out.push({ name: "API RSS ≤ 200 MB under load", met: apiRssMb <= 200, measured: `${apiRssMb.toFixed(0)} MB` });
  return out;
}
