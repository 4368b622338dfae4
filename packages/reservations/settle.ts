import type { OrderStatus } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

/** begin-settle.lua: a worker takes the order (PENDING becomes PROCESSING); a voided order must be dropped. */
export function beginSettle(redis: ScriptedRedis, k: Keys, orderId: string, now: Date): Promise<"OK" | "VOID" | "MISSING" | string> {
  const announcement = JSON.stringify({ orderId, status: "PROCESSING" });
  return redis.beginSettle(k.order(orderId), k.ordersPending, k.ordersProcessing, now.getTime(), orderId, k.statusChannel, announcement);
}

/**
 * finish-settle.lua, a worker's one round trip after the database answered: the final status
 * in the order's record, its units given back when it did not complete (REJECTED, FAILED;
 * once per order), both open-order sets and the announcement. `lines` are the order's lines
 * as the message carries them (the record's line order). True when units came back.
 */
export async function finishSettle(redis: ScriptedRedis, k: Keys, orderId: string, status: OrderStatus, lines: readonly { itemId: string }[], orderTtlSeconds: number): Promise<boolean> {
  const giveBack = status === "REJECTED" || status === "FAILED";
  const redisKeys = [k.epoch, k.order(orderId), k.ordersPending, k.ordersProcessing, ...lines.flatMap((l) => [k.itemRemaining(l.itemId), k.itemHeld(l.itemId)])];
  const announcement = JSON.stringify({ orderId, status });
  const r = await redis.finishSettle(redisKeys.length, ...redisKeys, status, giveBack ? "1" : "0", orderTtlSeconds, orderId, k.statusChannel, announcement);
  return r === 1;
}
