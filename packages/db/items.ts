import { randomUUID } from "node:crypto";
import { AppError, ppmToRate } from "@flashsale/domain";
import { Prisma } from "./generated/client.ts";
import type { Db, Tx } from "./client.ts";

export interface ItemRecord {
  id: string;
  name: string;
  price: number;
  currency: string;
  stock: number;
  remaining: number;
  maxPerUser: number;
  startsAt: Date;
  endsAt: Date | null;
  rewardPpm: number;
  rewardRate: number;
  createdAt: Date;
}

type Row = { id: string; name: string; price: bigint; currency: string; stock: number; remaining: number; maxPerUser: number; startsAt: Date; endsAt: Date | null; rewardPpm: number; createdAt: Date };

function record(r: Row): ItemRecord {
  return { ...r, price: Number(r.price), rewardRate: ppmToRate(r.rewardPpm) };
}

export interface NewItem {
  name: string;
  price: number;
  currency: string;
  stock: number;
  maxPerUser: number;
  startsAt: Date;
  endsAt: Date | null;
  rewardPpm: number;
}

// An item's columns and its remaining units (the sum of its stock buckets), as `record` reads them.
const COLUMNS = Prisma.sql`id::text, name, price, currency, stock, item_remaining(id) AS remaining, max_per_user AS "maxPerUser",
  starts_at AS "startsAt", ends_at AS "endsAt", reward_ppm AS "rewardPpm", created_at AS "createdAt"`;

/** Creates an item with all its units remaining (the insert trigger spreads them over its buckets). */
export async function createItem(db: Db | Tx, input: NewItem): Promise<ItemRecord> {
  const r = await db.item.create({ data: { id: randomUUID(), ...input, price: BigInt(input.price) } });
  return record({ ...r, remaining: r.stock });
}

export async function findItem(db: Db | Tx, id: string): Promise<ItemRecord | null> {
  // Raw: GET /items/:id is the page every buyer refreshes, spared Prisma's per-call compilation.
  const rows = await db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM items WHERE id = ${id}::uuid`;
  return rows[0] ? record(rows[0]) : null;
}

/** Units not yet sold of one item (the sum of its buckets); null for an unknown item. */
export async function itemRemaining(db: Db | Tx, id: string): Promise<number | null> {
  return (await findItem(db, id))?.remaining ?? null;
}

/** A page of items, newest first. */
export async function itemPage(db: Db, limit: number, after?: { createdAt: Date; id: string }) {
  const rows = await db.$queryRaw<Row[]>`
    SELECT ${COLUMNS} FROM items
    ${after ? Prisma.sql`WHERE (created_at, id) < (${after.createdAt}, ${after.id}::uuid)` : Prisma.empty}
    ORDER BY created_at DESC, id DESC
    LIMIT ${limit + 1}`;
  const page = rows.slice(0, limit).map(record);
  const last = page[page.length - 1];
  return { data: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** Adds units to stock (a trigger spreads them over the buckets); ITEM_NOT_FOUND for an unknown id. */
export async function restockItem(db: Db | Tx, id: string, quantity: number): Promise<ItemRecord> {
  const updated = await db.$executeRaw`UPDATE items SET stock = stock + ${quantity} WHERE id = ${id}::uuid`;
  if (updated === 0) throw new AppError("ITEM_NOT_FOUND", "no such item");
  return (await findItem(db, id))!;
}

/** Everything the reservation gate needs to load items (all, or those of `itemIds`): items with remaining units, and holdings. */
export async function gateSnapshot(db: Db, itemIds?: string[]) {
  const [items, holdings] = await Promise.all([
    db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM items ${itemIds ? Prisma.sql`WHERE id = ANY(${itemIds}::uuid[])` : Prisma.empty}`,
    db.holding.findMany({ where: { quantity: { gt: 0 }, ...(itemIds ? { itemId: { in: itemIds } } : {}) }, select: { userId: true, itemId: true, quantity: true } }),
  ]);
  return { items: items.map(record), holdings };
}

/** The ids of items whose sale has not ended, or ended after `endedAfter` (orders of older sales are closed). */
export async function recentItemIds(db: Db, endedAfter: Date): Promise<string[]> {
  const rows = await db.$queryRaw<{ id: string }[]>`SELECT id::text FROM items WHERE ends_at IS NULL OR ends_at > ${endedAfter}`;
  return rows.map((r) => r.id);
}
