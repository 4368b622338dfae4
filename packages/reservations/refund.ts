import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface RefundedOrder {
  id: string;
  userId: string;
  lines: { itemId: string; quantity: number }[];
}

export type RefundResult = "returned" | "noop" | "rebuilt";

/**
 * refund.lua for the lines of one slot: gives a refunded order's units and the buyer's
 * allowance back, at most once per order and item (a marker key), and only for items whose
 * epoch is still the one read before the refund committed: after a rebuild, PostgreSQL is
 * what the gate counts from. How many lines were given back, had been, or were rebuilt since.
 */
export async function refundLines(redis: ScriptedRedis, k: Keys, order: RefundedOrder, lines: RefundedOrder["lines"], epochs: ReadonlyMap<string, string | null>, markerTtlSeconds: number) {
  const redisKeys = lines.flatMap((l) => [k.itemEpoch(l.itemId), k.itemRefunded(l.itemId, order.id), k.itemRemaining(l.itemId), k.itemHeld(l.itemId)]);
  const args = lines.flatMap((l) => [epochs.get(l.itemId) ?? "", l.quantity]);
  const [given, done, rebuilt] = await redis.refund(redisKeys, order.userId, markerTtlSeconds, ...args);
  return { given: given!, done: done!, rebuilt: rebuilt! };
}
