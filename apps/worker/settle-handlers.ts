import type { SettleCommand } from "@flashsale/domain";
import { failSettle, settle, type SettleDeps } from "@flashsale/app";
import type { SettleHandlers } from "@flashsale/queue";

export type WorkerDeps = SettleDeps;

/** The consumer decodes and acks; each message is one call of a use case of @flashsale/app. */
export function settleHandlers(deps: WorkerDeps): SettleHandlers {
  return {
    settle: (cmd: SettleCommand) => settle(cmd, deps),
    exhausted: (cmd: SettleCommand, err: unknown) => failSettle(cmd, err, deps),
  };
}
