import type { Keys } from "./keys.ts";
import { itemFields } from "./rebuild.ts";
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

/** put-item.lua: makes a new item reservable; a no-op while the gate awaits a rebuild (which loads it). */
export async function putItem(redis: ScriptedRedis, k: Keys, item: ItemGateState): Promise<void> {
  const f = itemFields(item);
  await redis.putItem(k.epoch, k.itemMeta(item.id), k.itemRemaining(item.id), f.price, f.currency, f.startsAt, f.endsAt, f.maxPerUser, f.stock, item.remaining);
}

/** restock.lua: adds units to stock and remaining atomically; the new remaining, or null when the gate does not know the item. */
export async function restock(redis: ScriptedRedis, k: Keys, itemId: string, quantity: number): Promise<number | null> {
  const announce = JSON.stringify({ orderId: "", status: "RESTOCKED", itemIds: [itemId] });
  const left = await redis.restock(k.epoch, k.itemMeta(itemId), k.itemRemaining(itemId), quantity, k.statusChannel, announce);
  return left >= 0 ? left : null;
}

/** Units not yet reserved, per item id; null for an item the gate does not know. */
export async function remaining(redis: ScriptedRedis, k: Keys, itemIds: string[]): Promise<Map<string, number | null>> {
  const out = new Map<string, number | null>();
  if (itemIds.length === 0) return out;
  const vals = await redis.mget(itemIds.map((id) => k.itemRemaining(id)));
  itemIds.forEach((id, i) => out.set(id, vals[i] == null ? null : Number(vals[i])));
  return out;
}
