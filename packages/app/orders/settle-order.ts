import type { SettleCommand } from "@flashsale/domain";
import { failOrder, findOrderStatus, settleOrder, type Db, type SettleSql } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";

/** Points inside a settle a caller can wait at (tests stop a worker process exactly there). */
export interface SettleStages {
  /** After Redis marked the order PROCESSING, before the database call. */
  beforeSettle?(): Promise<void>;
  /** After the database committed, before Redis hears the outcome (and before the ack). */
  afterCommit?(): Promise<void>;
}

export interface SettleDeps {
  db: Db;
  /** The settle's one statement goes out through this (plain node-postgres in the worker). */
  sql: SettleSql;
  gate: ReservationGate;
  log: { info(o: object, msg: string): void; debug(o: object, msg: string): void; warn(o: object, msg: string): void };
  now: () => Date;
  onSettled?: (orderId: string, status: string) => void;
  stages?: SettleStages;
}

/**
 * Settles one accepted order, in three round trips: take it in Redis (PROCESSING), settle it
 * with one PostgreSQL call, then one Redis call that records the final status and gives the
 * reservation back when the order did not complete. Every step is idempotent, so a redelivery
 * after a crash at any line changes nothing twice.
 */
export async function settle(cmd: SettleCommand, deps: SettleDeps): Promise<void> {
  const startedAt = deps.now();
  const taken = await deps.gate.beginSettle(cmd.orderId, startedAt);
  if (taken === "VOID") {
    deps.log.info({ orderId: cmd.orderId }, "dropped an order the API voided");
    return;
  }
  await deps.stages?.beforeSettle?.();
  const outcome = await settleOrder(deps.sql, cmd, startedAt);
  await deps.stages?.afterCommit?.();
  await deps.gate.finishSettle(cmd.orderId, outcome.status, cmd.lines);
  if (outcome.fresh) deps.log.debug({ orderId: cmd.orderId, status: outcome.status }, "settled");
  deps.onSettled?.(cmd.orderId, outcome.status);
}

/**
 * Rejects an order that could not be settled after every retry: FAILED (RETRIES_EXHAUSTED)
 * and its reservation given back, unless a commit whose answer was lost settled it after all.
 */
export async function failSettle(cmd: SettleCommand, err: unknown, deps: SettleDeps): Promise<void> {
  // The cause goes to the log only: an order's reason reaches clients, and internal messages must not.
  deps.log.warn({ orderId: cmd.orderId, err: (err as Error).message }, "settling failed after every retry; order FAILED");
  if (await failOrder(deps.sql, cmd, "RETRIES_EXHAUSTED")) {
    await deps.gate.finishSettle(cmd.orderId, "FAILED", cmd.lines);
    deps.onSettled?.(cmd.orderId, "FAILED");
    return;
  }
  const settled = await findOrderStatus(deps.db, cmd.orderId);
  if (settled) await deps.gate.finishSettle(cmd.orderId, settled.status, cmd.lines);
}
