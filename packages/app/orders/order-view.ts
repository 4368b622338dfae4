import { orderTotal, type OrderView } from "@flashsale/domain";
import { findOrder, type Db } from "@flashsale/db";
import type { PendingOrder, ReservationGate } from "@flashsale/reservations";

/** An order the gate holds but no worker has written yet, as the API shows it. */
export function pendingView(p: PendingOrder): OrderView {
  return {
    id: p.id,
    userId: p.userId,
    status: p.status === "PROCESSING" ? "PROCESSING" : "PENDING",
    items: p.lines,
    total: orderTotal(p.lines),
    currency: p.currency,
    rewardPoints: 0,
    createdAt: p.createdAt.toISOString(),
    ...(p.startedAt ? { startedAt: p.startedAt.toISOString() } : {}),
  };
}

export type LookupDeps = { db: Db; gate: Pick<ReservationGate, "pendingOrder"> };

/**
 * The order wherever it is: the database once a worker wrote it, the gate before that
 * (so right after a 202 it is PENDING, never 404). Null when neither knows it.
 */
export async function lookupOrder(id: string, deps: LookupDeps): Promise<OrderView | null> {
  const stored = await findOrder(deps.db, id);
  if (stored) return stored;
  const pending = await deps.gate.pendingOrder(id);
  if (!pending || pending.status === "VOID") return null;
  if (pending.status !== "PENDING" && pending.status !== "PROCESSING") {
    // The worker finished between our two reads: the database has it now.
    return findOrder(deps.db, id);
  }
  return pendingView(pending);
}
