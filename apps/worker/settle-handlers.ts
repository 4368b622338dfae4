import type { SettleCommand } from "@flashsale/domain";
import { failOrder, findOrderStatus, settleOrder, type Db, type SettleSql } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import type { SettleHandlers } from "@flashsale/queue";
import type { Logger } from "pino";

export interface WorkerDeps {
  db: Db;
  /** The settle's one statement goes out through this (plain node-postgres in production). */
  sql: SettleSql;
  gate: ReservationGate;
  log: Logger;
  now: () => Date;
  onSettled?: (orderId: string, status: string) => void;
  /** Test-only: wait at a stage so a test can kill the process exactly there. */
  faultPause?: { stage: "before-settle" | "after-commit"; ms: number };
}

const pause = (deps: WorkerDeps, stage: string) =>
  deps.faultPause?.stage === stage ? new Promise((r) => setTimeout(r, deps.faultPause!.ms)) : undefined;

/**
 * What the worker does with one message, in three round trips: take it in Redis
 * (PROCESSING), settle it with one PostgreSQL call, then one Redis call that records the
 * final status and gives the reservation back when the order did not complete. Every step is
 * idempotent, so a redelivery after a crash at any line changes nothing twice.
 */
export function settleHandlers(deps: WorkerDeps): SettleHandlers {
  return {
    async settle(cmd: SettleCommand) {
      const startedAt = deps.now();
      const taken = await deps.gate.beginSettle(cmd.orderId, startedAt);
      if (taken === "VOID") {
        deps.log.info({ orderId: cmd.orderId }, "dropped an order the API voided");
        return;
      }
      await pause(deps, "before-settle");
      const outcome = await settleOrder(deps.sql, cmd, startedAt);
      await pause(deps, "after-commit");
      await deps.gate.finishSettle(cmd.orderId, outcome.status, cmd.lines);
      if (outcome.fresh) deps.log.debug({ orderId: cmd.orderId, status: outcome.status }, "settled");
      deps.onSettled?.(cmd.orderId, outcome.status);
    },
    async exhausted(cmd: SettleCommand, err: unknown) {
      // The cause goes to the log only: an order's reason reaches clients, and internal messages must not.
      deps.log.warn({ orderId: cmd.orderId, err: (err as Error).message }, "settling failed after every retry; order FAILED");
      if (await failOrder(deps.sql, cmd, "RETRIES_EXHAUSTED")) {
        await deps.gate.finishSettle(cmd.orderId, "FAILED", cmd.lines);
        deps.onSettled?.(cmd.orderId, "FAILED");
        return;
      }
      // The order was written after all (a commit whose answer was lost): keep what it says.
      const settled = await findOrderStatus(deps.db, cmd.orderId);
      if (settled) await deps.gate.finishSettle(cmd.orderId, settled.status, cmd.lines);
    },
  };
}
