import { appendFileSync, existsSync, readFileSync } from "node:fs";

/**
 * What the load run saw, one line per answered POST /orders: `status,code,orderId`
 * (`202,,<id>` for an accepted order, `409,SOLD_OUT,` for a refusal). Written by the artillery
 * hooks and the benchmark, read by the verifier.
 */
export interface Outcomes {
  accepted: string[];
  refused: Record<string, number>;
  serverErrors: number;
  answered: number;
}

export function recordOutcome(file: string, status: number, code: string, orderId: string): void {
  appendFileSync(file, `${status},${code},${orderId}\n`);
}

export function readOutcomes(file: string): Outcomes {
  const out: Outcomes = { accepted: [], refused: {}, serverErrors: 0, answered: 0 };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    if (!line) continue;
    const [status, code, id] = line.split(",");
    const s = Number(status);
    out.answered++;
    if (s === 202 && id) out.accepted.push(id);
    else if (s >= 500) out.serverErrors++;
    if (s !== 202) out.refused[code || String(s)] = (out.refused[code || String(s)] ?? 0) + 1;
  }
  return out;
}
