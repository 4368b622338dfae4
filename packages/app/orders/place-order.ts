import { AppError, orderTotal, type OrderView, type SettleCommand } from "@flashsale/domain";
import type { Db } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import type { OrderPublisher } from "@flashsale/queue";
import { pendingView } from "./order-view.ts";

type Line = { itemId: string; quantity: number };

/** A process's memory of refusals the gate gave (the API's LocalRefusals): answers without Redis. */
export interface RefusalMemory {
  /** The remembered refusal, when the order is one the memory may answer. */
  known(lines: readonly Line[], idempotencyKey: string | undefined): AppError | undefined;
  /** Told each refusal the gate gave. */
  heard(lines: readonly Line[], err: unknown): void;
}

export interface PlaceOrderDeps {
  db: Db;
  gate: ReservationGate;
  publisher: Pick<OrderPublisher, "publish">;
  now: () => Date;
  /** Told each answer of the gate: "reserved", "duplicate", or the refusal's code. */
  onReservation?: (outcome: string) => void;
  /** This process's memory of items that cannot be sold (answers without Redis). */
  refusals?: RefusalMemory;
}

export interface PlaceOrderInput {
  userId: string;
  lines: Line[];
  idempotencyKey?: string;
  requestHash?: string;
}

export type Placed = { order: OrderView; replayed: boolean };

const REPEAT_WAIT_MS = 3000;

/**
 * Reserves every line in Redis, then queues the order durably; resolves only once the broker
 * confirmed, so a 202 means reserved and queued. If queuing fails the reservation is
 * voided and UNAVAILABLE thrown: nothing stays reserved for a request that was not accepted.
 */
export async function placeOrder(input: PlaceOrderInput, deps: PlaceOrderDeps): Promise<Placed> {
  const refused = (err: unknown): never => {
    deps.onReservation?.(err instanceof AppError ? err.code : "INTERNAL");
    throw err;
  };
  const known = deps.refusals?.known(input.lines, input.idempotencyKey);
  if (known) refused(known);
  const now = deps.now();
  const result = await deps.gate.reserve({ ...input, now }).catch((err) => {
    deps.refusals?.heard(input.lines, err);
    return refused(err);
  });
  deps.onReservation?.(result.kind);
  if (result.kind === "duplicate") return { order: await repeatOf(result.orderId, input, deps), replayed: true };

  const orderId = result.orderId;
  const cmd: SettleCommand = {
    orderId,
    userId: input.userId,
    lines: result.lines,
    total: orderTotal(result.lines),
    currency: result.currency,
    createdAt: now.toISOString(),
    ...(input.idempotencyKey ? { idempotencyKey: input.idempotencyKey } : {}),
  };
  try {
    await deps.publisher.publish(cmd);
  } catch (err) {
    // A worker may already hold the order (the confirm was merely slow): then it stands.
    const voided = await deps.gate.voidOrder({ id: orderId, userId: input.userId, lines: cmd.lines, idempotencyKey: input.idempotencyKey }).catch(() => "unknown" as const);
    if (voided !== "taken") throw err instanceof AppError ? err : new AppError("UNAVAILABLE", "the order queue is unavailable");
  }
  // Only a repeat of the same Idempotency-Key ever asks whether the order was queued.
  if (input.idempotencyKey) await deps.gate.markQueued(orderId).catch(() => undefined);
  return {
    order: { id: orderId, userId: input.userId, status: "PENDING", items: cmd.lines, total: cmd.total, currency: cmd.currency, rewardPoints: 0, createdAt: cmd.createdAt },
    replayed: false,
  };
}

/**
 * The first response to a repeated key: waits while the first request is still reserving or
 * being queued (its key claimed, its order not yet recorded or confirmed).
 */
async function repeatOf(orderId: string, input: PlaceOrderInput, deps: PlaceOrderDeps): Promise<OrderView> {
  const deadline = Date.now() + REPEAT_WAIT_MS;
  for (;;) {
    const pending = await deps.gate.pendingOrder(orderId);
    const reserving = !pending && (await deps.gate.keyHolder(input.userId, input.idempotencyKey!)) === orderId;
    if (!reserving && (!pending || pending.status === "VOID")) {
      throw new AppError("IDEMPOTENCY_KEY_IN_USE", "the first request with this key did not complete; retry");
    }
    if (pending && (pending.queued || pending.status !== "PENDING")) return { ...pendingView(pending), status: "PENDING", startedAt: undefined };
    if (Date.now() > deadline) throw new AppError("IDEMPOTENCY_KEY_IN_USE", "a request with this key is still being processed");
    await new Promise((r) => setTimeout(r, 20));
  }
}
