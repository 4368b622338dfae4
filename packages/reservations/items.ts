import { randomUUID } from "node:crypto";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

export interface ItemGateState {
  id: string;
  price: number;
  currency: string;
  startsAt: Date;
  endsAt: Date | null;
  maxPerUser: number;
  stock: number;
  remaining: number;
}

/** The item's keys as load-item.lua takes them. */
export const itemKeys = (k: Keys, id: string) => [k.itemEpoch(id), k.itemMeta(id), k.itemRemaining(id), k.itemHeld(id), k.itemHolds(id)];

/** An item's fields as load-item.lua takes them (price .. remaining). */
function itemArgs(item: ItemGateState): (string | number)[] {
  // "" is "never": any number, 0 and negative ones included, is a real end.
  return [item.price, item.currency, item.startsAt.getTime(), item.endsAt ? item.endsAt.getTime() : "", item.maxPerUser, item.stock, item.remaining];
}

/**
 * load-item.lua: loads one item with its holdings from PostgreSQL, unless the gate has it
 * ('put': a new item whose meta exists already; 'rebuild': an item whose epoch exists). True
 * when it loaded.
 */
export async function loadItem(redis: ScriptedRedis, k: Keys, mode: "put" | "rebuild", item: ItemGateState, holdings: readonly { userId: string; quantity: number }[] = []): Promise<boolean> {
  const held = holdings.flatMap((h) => [h.userId, h.quantity]);
  return (await redis.loadItem(itemKeys(k, item.id), mode, randomUUID(), 0, ...itemArgs(item), ...held)) === 1;
}

/** Remembers for `ttlMs` that PostgreSQL has no such item, so that reserving it is refused without asking again. */
export async function markAbsent(redis: ScriptedRedis, k: Keys, itemId: string, ttlMs: number): Promise<void> {
  await redis.loadItem(itemKeys(k, itemId), "absent", randomUUID(), ttlMs);
}

/** restock.lua: adds units to stock and remaining atomically; the new remaining, or null when the gate does not have the item. */
export async function restock(redis: ScriptedRedis, k: Keys, itemId: string, quantity: number): Promise<number | null> {
  const left = await redis.restock([k.itemEpoch(itemId), k.itemMeta(itemId), k.itemRemaining(itemId)], quantity);
  return left >= 0 ? left : null;
}

/** Units not yet reserved, per item id; null for an item the gate does not know. One GET per item (items live on many slots). */
export async function remaining(redis: ScriptedRedis, k: Keys, itemIds: string[]): Promise<Map<string, number | null>> {
  const vals = await Promise.all(itemIds.map((id) => redis.get(k.itemRemaining(id))));
  return new Map(itemIds.map((id, i) => [id, vals[i] == null ? null : Number(vals[i])]));
}
