import { randomUUID } from "node:crypto";
import { AppError } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import { loadItem, markAbsent, type ItemGateState } from "./items.ts";

export interface GateSnapshot {
  items: ItemGateState[];
  holdings: { userId: string; itemId: string; quantity: number }[];
}

/** PostgreSQL's items (all, or those of `itemIds`) with their remaining units and each buyer's holdings. */
export type SnapshotSource = (itemIds?: string[]) => Promise<GateSnapshot>;

/** How long the gate remembers that an item id does not exist (a reserve of it answers ITEM_NOT_FOUND without PostgreSQL). */
const ABSENT_MS = 60_000;

/**
 * Loads every item of a snapshot that the gate does not have (no epoch), with its holdings;
 * ids asked for that PostgreSQL does not know are remembered as absent for a minute.
 * Compare-and-set per item: processes loading the same item at once write it once.
 */
export async function loadSnapshot(redis: ScriptedRedis, k: Keys, snap: GateSnapshot, askedIds: string[] = []): Promise<void> {
  const byItem = new Map<string, { userId: string; quantity: number }[]>();
  for (const h of snap.holdings) byItem.set(h.itemId, [...(byItem.get(h.itemId) ?? []), h]);
  const found = new Set(snap.items.map((i) => i.id.toLowerCase()));
  await Promise.all([
    ...snap.items.map((item) => loadItem(redis, k, "rebuild", item, byItem.get(item.id))),
    ...askedIds.filter((id) => !found.has(id.toLowerCase())).map((id) => markAbsent(redis, k, id, ABSENT_MS)),
  ]);
}

/**
 * Rebuilds one item whose shard lost its state, under the item's own lock, so that one process
 * reads PostgreSQL while the others wait for the item's new epoch. Reservations made under
 * the lost state are never given back into the rebuilt counters (their holds went with it).
 */
export async function rebuildItem(redis: ScriptedRedis, k: Keys, itemId: string, snapshot: SnapshotSource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await redis.exists(k.itemEpoch(itemId)))) {
    const token = randomUUID();
    if (await redis.set(k.itemRebuildLock(itemId), token, "PX", timeoutMs, "NX")) {
      try {
        await loadSnapshot(redis, k, await snapshot([itemId]), [itemId]);
      } finally {
        if ((await redis.get(k.itemRebuildLock(itemId))) === token) await redis.del(k.itemRebuildLock(itemId));
      }
      return;
    }
    if (Date.now() > deadline) throw new AppError("UNAVAILABLE", "the reservation gate is being rebuilt");
    await new Promise((r) => setTimeout(r, 25));
  }
}
