import type { Keys } from "./keys.ts";
import { NO_KEY } from "./reserve.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface VoidableOrder {
  id: string;
  userId: string;
  lines: readonly { itemId: string }[];
  idempotencyKey?: string;
}

/**
 * void-order.lua: gives back the units of an order whose publish failed (the API answers
 * 503), in one script: refused with "taken" once a worker holds the order (it then stands),
 * "noop" when Redis has no record of it. The order's lines and key are the ones it was
 * reserved with.
 */
export async function voidOrder(redis: ScriptedRedis, k: Keys, order: VoidableOrder): Promise<"released" | "noop" | "taken"> {
  const redisKeys = [
    k.epoch,
    k.order(order.id),
    k.idempotency(order.userId, order.idempotencyKey || NO_KEY),
    k.ordersPending,
    k.ordersProcessing,
    ...order.lines.flatMap((l) => [k.itemRemaining(l.itemId), k.itemHeld(l.itemId)]),
  ];
  const r = await redis.voidOrder(redisKeys.length, ...redisKeys, order.id);
  return r === 1 ? "released" : r === -1 ? "taken" : "noop";
}
