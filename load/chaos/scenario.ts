import type { RedisClient as Redis } from "@flashsale/reservations";
import type { Db } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import { createSaleItem } from "../fixtures/sale-item";
import { lostOrders, verifyInvariants, type Violation } from "../verify/index";
import { inject, type Fault, type FaultTargets } from "./faults";
import type { RedisCluster } from "../../test/support/redis-cluster";
import { startSaleLoad } from "./sale-load";
import type { SupervisedStack } from "./supervised-stack";

/** One fault at a moment of the sale (ms after the load starts). */
export interface ScheduledFault {
  fault: Fault;
  atMs: number;
}

export interface ScenarioResult {
  /** What was injected, e.g. "kill-worker" or "flush-redis@900+kill-api@2300". */
  fault: string;
  /** How many faults the schedule injected. */
  injected: number;
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
  /** The accepted ids with no row in PostgreSQL once the queue drained. */
  lostIds: string[];
  drainMs: number;
  violations: Violation[];
  /** What the faults said of themselves (kill-redis-master: its failover time and 503s). */
  notes: string[];
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

/** The name of a schedule: one fault alone by its name, several with their moments. */
export const scheduleName = (schedule: ScheduledFault[]): string =>
  schedule.length === 1 ? schedule[0]!.fault : schedule.map((f) => `${f.fault}@${f.atMs}`).join("+");

/**
 * One sale: load, the faults of the schedule injected at their moments (overlapping when
 * they are close: each starts at its time whether or not the one before has recovered),
 * recovery, drain, then every invariant checked.
 */
export async function runScenario(o: { schedule: ScheduledFault[]; round: number; url: string; db: Db; gate: ReservationGate; redis: Redis; rabbit?: FaultTargets["rabbit"]; redisCluster?: RedisCluster; stack: SupervisedStack; tokens: string[]; stock: number }): Promise<ScenarioResult> {
  const name = scheduleName(o.schedule);
  await until("the stack ready", ready(o.url), 120_000);
  const item = await createSaleItem(o.db, o.gate, { stock: o.stock, price: 1000, currency: "USD", maxPerUser: 1, name: `chaos ${name} ${o.round}` });
  const load = startSaleLoad(o.url, item.id, o.tokens);
  const t0 = Date.now();
  const redisCluster = o.redisCluster && { cluster: o.redisCluster, itemId: item.id, unavailable: () => load.tally.byStatus.get(503) ?? 0 };
  const notes = await Promise.all(
    o.schedule.map(async (f) => {
      await sleep(Math.max(0, f.atMs - (Date.now() - t0)));
      return inject(f.fault, o.stack, { redis: o.redis, rabbit: o.rabbit, redisCluster });
    }),
  );
  await until("the stack ready again", ready(o.url), 120_000);
  await sleep(1500);
  const tally = await load.stop();
  const drainFrom = Date.now();
  const ids = tally.accepted;
  await until(
    "every accepted order settled",
    async () => (await o.db.order.count({ where: { id: { in: ids }, status: { in: ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"] } } })) === ids.length,
    180_000,
  ).catch(() => undefined);
  const drainMs = Date.now() - drainFrom;
  const statuses = await o.db.order.groupBy({ by: ["status"], where: { id: { in: ids } }, _count: true });
  const n = (s: string) => statuses.find((x) => x.status === s)?._count ?? 0;
  const all = [...tally.byStatus.values()].reduce((a, b) => a + b, 0);
  const lostIds = await lostOrders(o.db, ids);
  return {
    fault: name,
    injected: o.schedule.length,
    round: o.round,
    requests: all,
    accepted: ids.length,
    completed: n("COMPLETED"),
    rejected: n("REJECTED"),
    failed: n("FAILED"),
    unavailable: tally.byStatus.get(503) ?? 0,
    network: tally.byStatus.get("network") ?? 0,
    internal: tally.internalErrors,
    lost: lostIds.length,
    lostIds,
    drainMs,
    violations: await verifyInvariants(o.db, { acceptedIds: ids }),
    notes: notes.filter((n): n is string => Boolean(n)),
  };
}
