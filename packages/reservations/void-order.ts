import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import { orderTag } from "./slots.ts";

export interface VoidableOrder {
  id: string;
  userId: string;
  lines: readonly { itemId: string }[];
  idempotencyKey?: string;
}

/** Each line's keys as give-back.lua's end_lines reads them: holds, remaining, held. */
export const lineKeys = (k: Keys, lines: readonly { itemId: string }[]) => lines.flatMap((l) => [k.itemHolds(l.itemId), k.itemRemaining(l.itemId), k.itemHeld(l.itemId)]);

/**
 * void-order.lua in the order's home slot: voids an order that was not accepted and gives
 * back its home lines, unless a worker already took it ("taken": it stands); "noop" when
 * Redis has no record of it. `homeLines` are the lines of the home slot.
 */
export async function voidHome(redis: ScriptedRedis, k: Keys, orderId: string, homeLines: readonly { itemId: string }[]): Promise<"released" | "noop" | "taken"> {
  const tag = orderTag(orderId);
  const redisKeys = [k.order(orderId), k.ordersPending(tag), k.ordersProcessing(tag), ...lineKeys(k, homeLines)];
  const r = await redis.voidOrder(redisKeys, orderId);
  return r === 1 ? "released" : r === -1 ? "taken" : "noop";
}

/** end-lines.lua on one slot that is not the order's home: each line's hold ended, its units given back when `give`. The number of lines given back. */
export async function endLines(redis: ScriptedRedis, k: Keys, orderId: string, lines: readonly { itemId: string }[], give: boolean): Promise<number> {
  const redisKeys = lineKeys(k, lines);
  return redis.endLines(redisKeys, orderId, give ? "1" : "0");
}
