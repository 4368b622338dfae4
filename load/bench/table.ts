/** One line of the benchmark table. Latencies in ms; `ratio` is rate / the baseline row's rate. */
export interface BenchRow {
  name: string;
  rate: number;
  unit: "req/s" | "orders/s" | "tx/s";
  p50: number;
  p99: number;
  max: number;
  errors: number;
  total: number;
  baseline?: string;
  ratio?: number;
  target?: string;
  note?: string;
}

/** Fills in each row's ratio to the row it names as its baseline. */
export function withRatios(rows: BenchRow[]): BenchRow[] {
  return rows.map((r) => {
    const base = r.baseline ? rows.find((b) => b.name === r.baseline) : undefined;
    return base && base.rate > 0 ? { ...r, ratio: r.rate / base.rate } : r;
  });
}

const num = (n: number, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : "-");

/** The table as fixed-width text (what `npm run bench` prints and BENCHMARKS.md quotes). */
export function formatTable(rows: BenchRow[]): string {
  const head = ["benchmark", "rate", "p50 ms", "p99 ms", "max ms", "errors", "total", "ratio", "target"];
  const body = rows.map((r) => [
    r.name,
    `${num(r.rate)} ${r.unit}`,
    num(r.p50, 1),
    num(r.p99, 1),
    num(r.max, 1),
    String(r.errors),
    String(r.total),
    r.ratio === undefined ? "" : `${num(r.ratio, 2)} of ${r.baseline}`,
    r.target ?? "",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}

/** Issue 9's sale, one row per worker count (what `npm run bench` prints and BENCHMARKS.md quotes). */
export function formatSale(sales: { workers: number; buyers: number; units: number; answeredPerSec: number; answerP99: number; accepted: number; settledPerSec: number; drainMs: number; completed: number }[]): string {
  const head = ["sale", "answered/s", "answer p99 ms", "accepted", "completed", "settled orders/s", "last settled after the last 202"];
  const body = sales.map((s) => [
    `${s.buyers} buyers, ${s.units} units, ${s.workers} worker${s.workers > 1 ? "s" : ""}`,
    num(s.answeredPerSec),
    num(s.answerP99),
    String(s.accepted),
    String(s.completed),
    num(s.settledPerSec),
    `${num(s.drainMs / 1000, 2)} s`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(head), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...body.map(line)].join("\n");
}
