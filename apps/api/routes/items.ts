import { Router } from "express";
import { z } from "zod";
import { AppError, itemState, rateToPpm } from "@flashsale/domain";
import { createItem, findItem, itemPage, restockItem, runIdempotent, type ItemRecord } from "@flashsale/db";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { decodeCursor, encodeCursor, PageQuery } from "../http/paging.ts";
import { Currency, IdParam, Instant, Text } from "../http/schemas.ts";

const NewItem = z.object({
  name: Text.trim().min(1).max(200),
  price: z.number().int().min(0).max(100_000_000_000),
  currency: Currency,
  stock: z.number().int().min(0).max(10_000_000),
  maxPerUser: z.number().int().min(1).max(1000).default(1),
  startsAt: Instant.optional(),
  endsAt: Instant.nullable().optional(),
  rewardRate: z.number().min(0).max(1).default(0),
});

const Restock = z.object({ quantity: z.number().int().min(1).max(10_000_000) });

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

/** The things on sale: public reads, operators' create and restock. */
export function itemRoutes(deps: ApiDeps): Router {
  const r = Router();
  const operator = [authenticate(deps.verifyToken), requireRole("operator")];
  const live = (ids: string[]) => deps.gate.remaining(ids).catch(() => new Map<string, number | null>());

  r.get("/items", async (req, res) => {
    const q = PageQuery.parse(req.query);
    const page = await itemPage(deps.db, q.limit, decodeCursor(q.cursor));
    const remaining = await live(page.data.map((i) => i.id));
    const now = deps.now();
    res.json({ data: page.data.map((i) => itemView(i, remaining.get(i.id), now)), nextCursor: encodeCursor(page.next) });
  });

  r.get("/items/:id", async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const item = await findItem(deps.db, id);
    if (!item) throw new AppError("ITEM_NOT_FOUND", "no such item");
    res.json(itemView(item, (await live([item.id])).get(item.id), deps.now()));
  });

  r.post("/items", ...operator, jsonBody, async (req, res) => {
    const body = NewItem.parse(req.body);
    let created: ItemRecord | undefined;
    const out = await runIdempotent(deps.db, idempotencyScope(req, body), 201, async (tx) => {
      created = await createItem(tx, {
      name: body.name,
      price: body.price,
      currency: body.currency,
      stock: body.stock,
      maxPerUser: body.maxPerUser,
      startsAt: body.startsAt ?? deps.now(),
      endsAt: body.endsAt ?? null,
      rewardPpm: rateToPpm(body.rewardRate),
      });
      return itemView(created, created.remaining, deps.now());
    });
    if (created) await deps.gate.putItem(created);
    res.status(out.status).location(`/items/${out.body.id}`).json(out.body);
  });

  r.post("/items/:id/restock", ...operator, jsonBody, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const { quantity } = Restock.parse(req.body);
    // Redis is told inside the transaction: if it cannot be, PostgreSQL rolls back too.
    const out = await runIdempotent(deps.db, idempotencyScope(req, { id, quantity }), 200, async (tx) => {
      const item = await restockItem(tx, id, quantity);
      return itemView(item, await deps.gate.restock(item.id, quantity), deps.now());
    });
    res.status(out.status).json(out.body);
  });
  return r;
}
