import { AppError, isAppError, type OrderView } from "@flashsale/domain";
import { findOrder, refundOrder, runIdempotent, type Db, type IdempotencyScope } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import type { Logger } from "pino";

export interface RefundDeps {
  db: Db;
  gate: Pick<ReservationGate, "epochs" | "refund" | "pendingOrder">;
  log: Pick<Logger, "warn">;
}

/**
 * Refunds a COMPLETED order: one PostgreSQL transaction (with the Idempotency-Key claim, so
 * a repeat replays the first answer), then the gate learns of the returned units and
 * allowance so they can be bought again at once. An order still PENDING or PROCESSING (only
 * in Redis) is NOT_REFUNDABLE, not ORDER_NOT_FOUND. If Redis cannot be told, the refund
 * stands and the units come back to the gate at its next rebuild from PostgreSQL.
 */
export async function refund(input: { orderId: string; scope?: IdempotencyScope }, deps: RefundDeps): Promise<OrderView> {
  // The items' epochs, read before the commit: an item rebuilt after it already counts the refund.
  const before = await findOrder(deps.db, input.orderId);
  const epochs = before ? await deps.gate.epochs(before.items.map((l) => l.itemId)).catch(() => null) : null;
  const out = await runIdempotent(deps.db, input.scope, 200, (tx) => refundOrder(tx, input.orderId)).catch(async (err) => {
    if (isAppError(err) && err.code === "ORDER_NOT_FOUND") {
      const pending = await deps.gate.pendingOrder(input.orderId).catch(() => null);
      if (pending && pending.status !== "VOID") throw new AppError("NOT_REFUNDABLE", `the order is ${pending.status}, not COMPLETED`);
    }
    throw err;
  });
  const order = out.body;
  if (!out.replayed && epochs) {
    await deps.gate
      .refund({ id: order.id, userId: order.userId, lines: order.items }, epochs)
      .catch((err) => deps.log.warn({ orderId: order.id, err: (err as Error).message }, "refund committed; the gate learns of it at its next rebuild"));
  }
  return order;
}
