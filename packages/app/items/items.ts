import { AppError, itemState, rateToPpm } from "@flashsale/domain";
import { createItem as insertItem, findItem, itemPage, restockItem as addStock, runIdempotent, type Db, type IdempotencyScope, type ItemRecord, type Replayable } from "@flashsale/db";
import type { ReservationGate } from "@flashsale/reservations";
import { lagging, type ReadDbs } from "../lagging-reads.ts";

type ReadDeps = { db: Db; gate: Pick<ReservationGate, "remaining">; now: () => Date };

/** An item as clients see it, with `remaining` and `state` live from the reservation gate. */
export function itemView(item: ItemRecord, remaining: number | null | undefined, now: Date) {
  const left = remaining ?? item.remaining;
  return {
    id: item.id,
    name: item.name,
    price: item.price,
    currency: item.currency,
    stock: item.stock,
    remaining: left,
    maxPerUser: item.maxPerUser,
    startsAt: item.startsAt.toISOString(),
    endsAt: item.endsAt ? item.endsAt.toISOString() : null,
    rewardRate: item.rewardRate,
    state: itemState({ startsAt: item.startsAt, endsAt: item.endsAt, remaining: left }, now),
    createdAt: item.createdAt.toISOString(),
  };
}

export type ItemView = ReturnType<typeof itemView>;

// Redis not answering leaves PostgreSQL's count: a read never fails for the gate's sake.
const live = (deps: ReadDeps, ids: string[]) => deps.gate.remaining(ids).catch(() => new Map<string, number | null>());

/** A page of items, newest first, read from the replica (a new item may appear a moment late), each with its live remaining units from the gate. */
export async function listItems(page: { limit: number; after?: { createdAt: Date; id: string } }, deps: ReadDeps & ReadDbs) {
  const found = await lagging(deps, (db) => itemPage(db, page.limit, page.after));
  const remaining = await live(deps, found.data.map((i) => i.id));
  const now = deps.now();
  return { data: found.data.map((i) => itemView(i, remaining.get(i.id), now)), next: found.next };
}

/** One item with its live remaining units, from the primary (an item just created is never 404); ITEM_NOT_FOUND otherwise. */
export async function readItem(id: string, deps: ReadDeps): Promise<ItemView> {
  const item = await findItem(deps.db, id);
  if (!item) throw new AppError("ITEM_NOT_FOUND", "no such item");
  return itemView(item, (await live(deps, [item.id])).get(item.id), deps.now());
}

export interface NewItemInput {
  name: string;
  price: number;
  currency: string;
  stock: number;
  maxPerUser: number;
  startsAt?: Date;
  endsAt?: Date | null;
  rewardRate: number;
}

type WriteDeps = { db: Db; gate: Pick<ReservationGate, "putItem" | "restock">; now: () => Date };

/** Creates an item (starting now unless told), then puts it in the gate so it can be bought; a repeated key replays the first answer. */
export async function createItem(input: NewItemInput, scope: IdempotencyScope | undefined, deps: WriteDeps): Promise<Replayable<ItemView>> {
  let created: ItemRecord | undefined;
  const out = await runIdempotent(deps.db, scope, 201, async (tx) => {
    created = await insertItem(tx, {
      name: input.name,
      price: input.price,
      currency: input.currency,
      stock: input.stock,
      maxPerUser: input.maxPerUser,
      startsAt: input.startsAt ?? deps.now(),
      endsAt: input.endsAt ?? null,
      rewardPpm: rateToPpm(input.rewardRate),
    });
    return itemView(created, created.remaining, deps.now());
  });
  if (created) await deps.gate.putItem(created);
  return out;
}

/** Adds units to an item, in PostgreSQL and the gate together; ITEM_NOT_FOUND for an unknown id. */
export async function restockItem(input: { id: string; quantity: number }, scope: IdempotencyScope | undefined, deps: WriteDeps): Promise<Replayable<ItemView>> {
  // Redis is told inside the transaction: if it cannot be, PostgreSQL rolls back too.
  return runIdempotent(deps.db, scope, 200, async (tx) => {
    const item = await addStock(tx, input.id, input.quantity);
    return itemView(item, await deps.gate.restock(item.id, input.quantity), deps.now());
  });
}
