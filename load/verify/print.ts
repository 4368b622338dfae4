import type { Outcomes } from "./outcomes";
import type { SaleSummary } from "./summary";
import type { Violation } from "./violation";

const entries = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${n}`)
    .join(", ") || "none";

/** The verifier's report: what the run saw, what PostgreSQL holds, and every violation. */
export function printReport(s: SaleSummary, o: Outcomes | undefined, violations: Violation[], lostInRedis?: Record<string, number>): string {
  const lines: string[] = [];
  if (s.itemId) lines.push(`item      ${s.itemId}: stock ${s.stock}, remaining ${s.remaining}`);
  lines.push(`sold      ${s.sold} units (COMPLETED orders)`);
  if (o) {
    lines.push(`answered  ${o.answered} POST /orders: accepted (202) ${o.accepted.length}, 5xx ${o.serverErrors}`);
    lines.push(`refused   at the API: ${entries(o.refused)}`);
  }
  const settled = Object.entries(s.orders).filter(([k]) => k !== "PENDING" && k !== "PROCESSING").reduce((a, [, n]) => a + n, 0);
  lines.push(`settled   ${settled} orders: ${entries(s.orders)}`);
  lines.push(`rejected  by the workers: ${entries(s.rejectedByReason)}`);
  lines.push(`failed    ${s.failed}`);
  if (lostInRedis) lines.push(`lost      ${Object.values(lostInRedis).reduce((a, n) => a + n, 0)} accepted ids without a row (Redis: ${entries(lostInRedis)})`);
  lines.push(`violations ${violations.length}`);
  for (const v of violations) lines.push(`  ✗ invariant ${v.invariant}, ${v.check}: ${v.detail}`);
  return `${lines.join("\n")}\n`;
}
