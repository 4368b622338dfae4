import { randomUUID } from "node:crypto";
import { AppError, ppmToRate } from "@flashsale/domain";
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

/** Creates an item with all its units remaining. */
export async function createItem(db: Db | Tx, input: NewItem): Promise<ItemRecord> {
  const r = await db.item.create({ data: { id: randomUUID(), ...input, price: BigInt(input.price), remaining: input.stock } });
  return record(r);
}

export async function findItem(db: Db, id: string): Promise<ItemRecord | null> {
  // Raw: GET /items/:id is the page every buyer refreshes, spared Prisma's per-call compilation.
  const rows = await db.$queryRaw<Row[]>`
    SELECT id::text, name, price, currency, stock, remaining, max_per_user AS "maxPerUser", starts_at AS "startsAt",
      ends_at AS "endsAt", reward_ppm AS "rewardPpm", created_at AS "createdAt"
    FROM items WHERE id = ${id}::uuid`;
  return rows[0] ? record(rows[0]) : null;
}

/** A page of items, newest first. */
export async function itemPage(db: Db, limit: number, after?: { createdAt: Date; id: string }) {
  const rows = await db.item.findMany({
    where: after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit).map(record);
  const last = page[page.length - 1];
  return { data: page, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}

/** Adds units to stock and remaining in one guarded UPDATE; ITEM_NOT_FOUND for an unknown id. */
export async function restockItem(db: Db | Tx, id: string, quantity: number): Promise<ItemRecord> {
  const rows = await db.$queryRaw<Row[]>`
    UPDATE items SET stock = stock + ${quantity}, remaining = remaining + ${quantity}
    WHERE id = ${id}::uuid
    RETURNING id, name, price, currency, stock, remaining, max_per_user AS "maxPerUser", starts_at AS "startsAt",
      ends_at AS "endsAt", reward_ppm AS "rewardPpm", created_at AS "createdAt"`;
  if (rows.length === 0) throw new AppError("ITEM_NOT_FOUND", "no such item");
  return record(rows[0]!);
}

/** Everything the reservation gate needs to be rebuilt: items with remaining units, and holdings. */
export async function gateSnapshot(db: Db) {
  const [items, holdings] = await Promise.all([
    db.item.findMany(),
    db.holding.findMany({ where: { quantity: { gt: 0 } }, select: { userId: true, itemId: true, quantity: true } }),
  ]);
  return { items: items.map(record), holdings };
}
