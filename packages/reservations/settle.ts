import type { OrderStatus } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import { orderTag } from "./slots.ts";
import { lineKeys } from "./void-order.ts";

/** begin-settle.lua: a worker takes the order (PENDING becomes PROCESSING); a voided order must be dropped. */
export function beginSettle(redis: ScriptedRedis, k: Keys, orderId: string, now: Date): Promise<"OK" | "VOID" | "MISSING" | string> {
  const tag = orderTag(orderId);
  const announcement = JSON.stringify({ orderId, status: "PROCESSING" });
  return redis.beginSettle([k.order(orderId), k.ordersPending(tag), k.ordersProcessing(tag)], now.getTime(), orderId, k.statusChannel(orderId), announcement);
}

/**
 * finish-settle.lua in the order's home slot, after the database answered: the final status in
 * the order's record, the home lines' reservations ended (units given back when it did not
 * complete; once per line), both open-order sets and the announcement. The number of lines
 * given back.
 */
export function finishHome(redis: ScriptedRedis, k: Keys, orderId: string, status: OrderStatus, homeLines: readonly { itemId: string }[], orderTtlSeconds: number): Promise<number> {
  const tag = orderTag(orderId);
  const redisKeys = [k.order(orderId), k.ordersPending(tag), k.ordersProcessing(tag), ...lineKeys(k, homeLines)];
  const announcement = JSON.stringify({ orderId, status });
  return redis.finishSettle(redisKeys, status, givesBack(status) ? "1" : "0", orderTtlSeconds, orderId, k.statusChannel(orderId), announcement);
}

/** The final statuses whose reservations are given back (the order did not complete). */
export const givesBack = (status: OrderStatus) => status === "REJECTED" || status === "FAILED";
