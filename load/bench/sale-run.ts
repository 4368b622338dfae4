import http from "node:http";
import type { Config } from "@flashsale/config";
import type { Db } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import { createBuyers } from "../fixtures/buyers";
import { createSaleItem } from "../fixtures/sale-item";
import { spawnTs, type Child } from "./children";
import { quantile, settledTimes, waitSettled } from "./settle-run";

export interface SaleResult {
  workers: number;
  buyers: number;
  units: number;
  answeredPerSec: number;
  answerP99: number;
  accepted: number;
  refused: number;
  other: number;
  settledPerSec: number;
  /** From the last 202 to the last order's terminal status, in ms. */
  drainMs: number;
  completed: number;
}

/**
 * Issue 9's sale, as a new user would try it: `workers` worker processes running beside the
 * API, then `buyers` funded buyers each pressing "buy" once, `concurrency` at a time, for one
 * item of `units` units (maxPerUser 1). Measures the answers (rate, p99) and the settling
 * (rate, and the time from the last 202 to the last terminal status).
 */
export async function runSale(opts: {
  db: Db; gate: ReservationGate; jwt: Config["jwt"]; env: Record<string, string>; apiUrl: string;
  workers: number; buyers: number; units: number; concurrency: number;
  /** How many consumers the settle queue has (the sale starts once every worker consumes). */
  consumers: () => Promise<number>;
}): Promise<SaleResult> {
  const { db, workers } = opts;
  const buyers = await createBuyers(db, opts.jwt, { count: opts.buyers, balance: 100_000, currency: "USD" });
  const item = await createSaleItem(db, opts.gate, { name: `bench: sale with ${workers} workers`, price: 100, currency: "USD", stock: opts.units, maxPerUser: 1 });
  const procs: Child[] = Array.from({ length: workers }, () => spawnTs("apps/worker/main.ts", opts.env));
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.concurrency });
  const body = JSON.stringify({ items: [{ itemId: item.id, quantity: 1 }] });
  const accepted: string[] = [];
  const lat: number[] = [];
  let refused = 0;
  let other = 0;
  let last202 = 0;
  try {
    await waitConsumers(opts.consumers, workers);
    let next = 0;
    const t0 = Date.now();
    const lane = async () => {
      while (next < buyers.length) {
        const buyer = buyers[next++]!;
        const start = performance.now();
        const r = await post(agent, `${opts.apiUrl}/orders`, buyer.token, body);
        const text = r.text;
        lat.push(performance.now() - start);
        if (r.statusCode === 202) {
          accepted.push((JSON.parse(text) as { id: string }).id);
          last202 = Date.now();
        } else if (r.statusCode === 409) refused++;
        else other++;
      }
    };
    await Promise.all(Array.from({ length: opts.concurrency }, lane));
    const answeredMs = Date.now() - t0;
    await waitSettled(db, accepted, 120_000);
    const settled = await settledTimes(db, accepted);
    const times = accepted.map((id) => settled.get(id)).filter((t): t is number => t !== undefined).sort((a, b) => a - b);
    const completed = await db.$queryRawUnsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM orders WHERE id = ANY($1::uuid[]) AND status = 'COMPLETED'`, accepted);
    lat.sort((a, b) => a - b);
    const lastSettled = times[times.length - 1] ?? NaN;
    return {
      workers, buyers: opts.buyers, units: opts.units,
      answeredPerSec: (buyers.length * 1000) / answeredMs,
      answerP99: quantile(lat, 0.99),
      accepted: accepted.length, refused, other,
      settledPerSec: times.length > 1 ? ((times.length - 1) * 1000) / (lastSettled - times[0]!) : NaN,
      drainMs: lastSettled - last202,
      completed: completed[0]?.n ?? 0,
    };
  } finally {
    agent.destroy();
    await Promise.all(procs.map((p) => p.stop()));
  }
}

/** Waits until the settle queue has `n` consumers, so the sale starts with every worker ready. */
async function waitConsumers(consumers: () => Promise<number>, n: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const have = await consumers();
    if (have >= n) return;
    if (Date.now() > deadline) throw new Error(`only ${have} of ${n} workers consuming after ${timeoutMs} ms`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** One POST over a keep-alive agent; resolves with the status and the body. */
function post(agent: http.Agent, url: string, token: string, body: string): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", agent, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ statusCode: res.statusCode ?? 0, text }));
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}
