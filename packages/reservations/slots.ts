import { randomUUID } from "node:crypto";
import calculateSlot from "cluster-key-slot";

const TAG_CHARS = 5;
const tags = new Map<number, string>();

/** The Redis Cluster slot of an item's keys (its hash tag `item:<id>`). */
export function itemSlot(itemId: string): number {
  return calculateSlot(`item:${itemId.toLowerCase()}`);
}

/**
 * The order tag of a slot: the first five lowercase hex digits (counting up from 00000) whose
 * own slot is that slot. The same in every process, found once per slot (about 16,000 tries).
 */
export function slotTag(slot: number): string {
  const known = tags.get(slot);
  if (known) return known;
  for (let i = 0; i < 16 ** TAG_CHARS; i++) {
    const candidate = i.toString(16).padStart(TAG_CHARS, "0");
    if (calculateSlot(candidate) === slot) {
      tags.set(slot, candidate);
      return candidate;
    }
  }
  throw new Error(`no ${TAG_CHARS}-hex tag hashes to slot ${slot}`);
}

/** The tag an order id carries (its first five hex digits): its record's, sets' and channel's hash tag. */
export function orderTag(orderId: string): string {
  return orderId.slice(0, TAG_CHARS).toLowerCase();
}

/** The order's home item: its lowest item id. Its slot holds the order's record. */
export function homeItem(lines: readonly { itemId: string }[]): string {
  if (lines.length === 1) return lines[0]!.itemId.toLowerCase();
  return lines.map((l) => l.itemId.toLowerCase()).sort()[0]!;
}

/** The order tag of the slot an item lives in. */
export function itemTag(itemId: string): string {
  return slotTag(itemSlot(itemId));
}

/**
 * A new order id: a random UUID (v4) whose first five hex digits are the tag of its home
 * item's slot, so that the order's record can be found from its id alone and still be
 * written by the script that reserves the home item's units.
 */
export function mintOrderId(lines: readonly { itemId: string }[]): string {
  return itemTag(homeItem(lines)) + randomUUID().slice(TAG_CHARS);
}

/**
 * The order's lines grouped so that each group runs as one script: by slot on a Redis
 * Cluster, all in one on a single server. The home item's group comes first.
 */
export function lineGroups<L extends { itemId: string }>(lines: readonly L[], clustered: boolean): L[][] {
  if (!clustered || lines.length === 1) return [lines as L[]];
  const home = homeItem(lines);
  const bySlot = new Map<number, L[]>();
  const homeSlot = itemSlot(home);
  bySlot.set(homeSlot, []);
  for (const l of lines) {
    const s = itemSlot(l.itemId);
    bySlot.set(s, [...(bySlot.get(s) ?? []), l]);
  }
  return [...bySlot.values()];
}
