import type { SettleCommand } from "@flashsale/domain";
import { failOrder, findOrderStatus, settleOrder, type Db } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import type { SettleHandlers } from "@flashsale/queue";
import type { Logger } from "pino";

export interface WorkerDeps {
  db: Db;
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
 * What the worker does with one message: take it in Redis (PROCESSING), settle it in
 * PostgreSQL, and give the reservation back when the order did not complete. Every step
 * is idempotent, so a redelivery after a crash at any line changes nothing twice.
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
      const outcome = await settleOrder(deps.db, cmd, startedAt);
      await pause(deps, "after-commit");
      if (outcome.status === "REJECTED" || outcome.status === "FAILED") {
        await deps.gate.release(cmd.orderId, outcome.status);
      }
      await deps.gate.markSettled(cmd.orderId, outcome.status);
      if (outcome.fresh) deps.log.debug({ orderId: cmd.orderId, status: outcome.status }, "settled");
      deps.onSettled?.(cmd.orderId, outcome.status);
    },
    async exhausted(cmd: SettleCommand, err: unknown) {
      // The cause goes to the log only: an order's reason reaches clients, and internal messages must not.
      deps.log.warn({ orderId: cmd.orderId, err: (err as Error).message }, "settling failed after every retry; order FAILED");
      if (await failOrder(deps.db, cmd, "RETRIES_EXHAUSTED")) {
        await deps.gate.release(cmd.orderId, "FAILED");
        await deps.gate.markSettled(cmd.orderId, "FAILED");
        deps.onSettled?.(cmd.orderId, "FAILED");
        return;
      }
      // The order was written after all (a commit whose answer was lost): keep what it says.
      const settled = await findOrderStatus(deps.db, cmd.orderId);
      if (settled && (settled.status === "REJECTED" || settled.status === "FAILED")) await deps.gate.release(cmd.orderId, settled.status);
      if (settled) await deps.gate.markSettled(cmd.orderId, settled.status);
    },
  };
}
