import { AppError, type ErrorCode, type OrderLineView } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface ReserveRequest {
  orderId: string;
  userId: string;
  lines: { itemId: string; quantity: number }[];
  idempotencyKey?: string;
  requestHash?: string;
  now: Date;
}

export type ReserveResult =
  | { kind: "reserved"; currency: string; lines: OrderLineView[] }
  | { kind: "duplicate"; orderId: string };

/** The idempotency key slot of an order placed without an Idempotency-Key. */
export const NO_KEY = "-";

/** The script's refusals, each a contract code, with the message a client reads. */
const MESSAGES: Record<string, string> = {
  ITEM_NOT_FOUND: "no such item",
  MIXED_CURRENCY: "every item of one order must be priced in the same currency",
  SALE_NOT_STARTED: "the sale of this item has not started",
  SALE_ENDED: "the sale of this item has ended",
  LIMIT_EXCEEDED: "this order would take you past the item's limit per buyer",
  SOLD_OUT: "not enough units left",
  IDEMPOTENCY_KEY_REUSED: "this Idempotency-Key was used with a different request",
};

/**
 * Runs reserve.lua: every line of the order reserved atomically, or nothing. A refusal is
 * thrown as the coded AppError; "rehydrate" means Redis lost its state (no epoch): the gate rebuilds itself and tries again.
 */
export async function reserveOrder(redis: ScriptedRedis, k: Keys, req: ReserveRequest, idempotencyTtlSeconds: number, orderTtlSeconds: number): Promise<ReserveResult | "rehydrate"> {
  const redisKeys = [
    k.epoch,
    req.idempotencyKey ? k.idempotency(req.userId, req.idempotencyKey) : k.idempotency(req.userId, NO_KEY),
    k.order(req.orderId),
    ...req.lines.flatMap((l) => [k.itemMeta(l.itemId), k.itemRemaining(l.itemId), k.itemHeld(l.itemId)]),
    k.ordersPending,
  ];
  const args = [
    req.now.getTime(),
    req.orderId,
    req.userId,
    req.requestHash ?? "",
    idempotencyTtlSeconds,
    orderTtlSeconds,
    req.idempotencyKey ?? "",
    ...req.lines.flatMap((l) => [l.itemId, l.quantity]),
  ];
  const out = await redis.reserve(redisKeys.length, ...redisKeys, ...args);
  const head = String(out[0]);
  if (head === "OK") {
    return {
      kind: "reserved",
      currency: String(out[1]),
      lines: req.lines.map((l, i) => ({ itemId: l.itemId, quantity: l.quantity, price: Number(out[i + 2]) })),
    };
  }
  if (head === "DUPLICATE") return { kind: "duplicate", orderId: String(out[1]) };
  if (head === "REHYDRATE") return "rehydrate";
  if (Object.hasOwn(MESSAGES, head)) throw new AppError(head as ErrorCode, MESSAGES[head]!);
  throw new Error(`unexpected reserve answer ${head}`);
}
