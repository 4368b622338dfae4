import type { Redis } from "ioredis";
import type { Db } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import { createSaleItem } from "../fixtures/sale-item";
import { lostOrders, verifyInvariants, type Violation } from "../verify/index";
import { inject, type Fault, type FaultTargets } from "./faults";
import { startSaleLoad } from "./sale-load";
import type { SupervisedStack } from "./supervised-stack";

export interface ScenarioResult {
  fault: Fault;
  round: number;
  requests: number;
  accepted: number;
  completed: number;
  rejected: number;
  failed: number;
  unavailable: number;
  network: number;
  internal: number;
  lost: number;
  drainMs: number;
  violations: Violation[];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what}`);
}

const ready = (url: string) => async () => (await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2000) })).status === 200;

/** One sale: load, the fault in the middle of it, recovery, drain, then every invariant checked. */
export async function runScenario(o: { fault: Fault; round: number; url: string; db: Db; gate: ReservationGate; redis: Redis; rabbit?: FaultTargets["rabbit"]; stack: SupervisedStack; tokens: string[]; stock: number }): Promise<ScenarioResult> {
  await until("the stack ready", ready(o.url), 120_000);
  const item = await createSaleItem(o.db, o.gate, { stock: o.stock, price: 1000, currency: "USD", maxPerUser: 1, name: `chaos ${o.fault} ${o.round}` });
  const load = startSaleLoad(o.url, item.id, o.tokens);
  await sleep(1500);
  await inject(o.fault, o.stack, { redis: o.redis, rabbit: o.rabbit });
  await until("the stack ready again", ready(o.url), 120_000);
  await sleep(1500);
  const tally = await load.stop();
  const t0 = Date.now();
  const ids = tally.accepted;
  await until(
    "every accepted order settled",
    async () => (await o.db.order.count({ where: { id: { in: ids }, status: { in: ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"] } } })) === ids.length,
    180_000,
  ).catch(() => undefined);
  const drainMs = Date.now() - t0;
  const statuses = await o.db.order.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: true });
  const n = (s: string) => statuses.find((x) => x.status === s)?._count ?? 0;
  const all = [...tally.byStatus.values()].reduce((a, b) => a + b, 0);
  return {
    fault: o.fault,
    round: o.round,
    requests: all,
    accepted: ids.length,
    completed: n("COMPLETED"),
    rejected: n("REJECTED"),
    failed: n("FAILED"),
    unavailable: tally.byStatus.get(503) ?? 0,
    network: tally.byStatus.get("network") ?? 0,
    internal: tally.internalErrors,
    lost: (await lostOrders(o.db, ids)).length,
    drainMs,
    violations: await verifyInvariants(o.db, { acceptedIds: ids }),
  };
}
