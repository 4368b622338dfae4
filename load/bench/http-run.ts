import autocannon from "autocannon";
import type { BenchRow } from "./table";

export interface HttpBench {
  name: string;
  url: string;
  method: "GET" | "POST";
  /** Path per request; called for every request so each may differ (another buyer, another order). */
  next: () => { path: string; token?: string; body?: string };
  expect: number;
  connections: number;
  durationSec: number;
  baseline?: string;
  target?: string;
}

/**
 * Drives one endpoint with autocannon at a fixed number of connections for a fixed time.
 * An answer with another status than `expect` counts as an error, like a socket error or timeout.
 */
export async function runHttp(b: HttpBench): Promise<BenchRow> {
  const result = await autocannon({
    url: b.url,
    connections: b.connections,
    duration: b.durationSec,
    timeout: 10,
    requests: [
      {
        method: b.method,
        setupRequest: (req) => {
          const n = b.next();
          const headers: Record<string, string> = { ...(n.token ? { authorization: `Bearer ${n.token}` } : {}) };
          if (n.body) headers["content-type"] = "application/json";
          return { ...req, path: n.path, headers, ...(n.body ? { body: n.body } : {}) };
        },
      },
    ],
  });
  const byStatus = (result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {};
  const good = byStatus[String(b.expect)]?.count ?? 0;
  const answered = Object.values(byStatus).reduce((a, s) => a + s.count, 0);
  return {
    name: b.name,
    rate: good / (result.duration || b.durationSec),
    unit: "req/s",
    p50: result.latency.p50,
    p99: result.latency.p99,
    max: result.latency.max,
    errors: answered - good + result.errors + result.timeouts,
    total: answered,
    baseline: b.baseline,
    target: b.target,
    note: Object.entries(byStatus).map(([s, v]) => `${s}: ${v.count}`).join(", "),
  };
}
