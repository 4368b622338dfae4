import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface RefundedOrder {
  id: string;
  userId: string;
  lines: { itemId: string; quantity: number }[];
}

export type RefundResult = "returned" | "noop" | "rebuilt";

/**
 * Gives a refunded order's units and the buyer's allowance back to the gate in one script,
 * at most once per order (a marker key), and only in the epoch read before the refund
 * committed: after a rebuild, PostgreSQL is what the gate counts from.
 */
export async function refundToGate(redis: ScriptedRedis, k: Keys, order: RefundedOrder, epoch: string, markerTtlSeconds: number): Promise<RefundResult> {
  const redisKeys = [k.epoch, k.refunded(order.id), k.order(order.id), ...order.lines.flatMap((l) => [k.itemRemaining(l.itemId), k.itemHeld(l.itemId)])];
  const announce = JSON.stringify({ orderId: order.id, status: "REFUNDED", itemIds: order.lines.map((l) => l.itemId) });
  const r = await redis.refund(redisKeys.length, ...redisKeys, epoch, order.userId, markerTtlSeconds, k.statusChannel, announce, ...order.lines.map((l) => l.quantity));
  return r === 1 ? "returned" : r === 0 ? "noop" : "rebuilt";
}
