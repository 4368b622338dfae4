import { Router } from "express";
import { z } from "zod";
import { createItem, listItems, readItem, restockItem } from "@flashsale/app";
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

/** The things on sale: public reads, operators' create and restock. */
export function itemRoutes(deps: ApiDeps): Router {
  const r = Router();
  const operator = [authenticate(deps.verifyToken), requireRole("operator")];

  r.get("/items", async (req, res) => {
    const q = PageQuery.parse(req.query);
    const page = await listItems({ limit: q.limit, after: decodeCursor(q.cursor) }, deps);
    res.json({ data: page.data, nextCursor: encodeCursor(page.next) });
  });

  r.get("/items/:id", async (req, res) => {
    const { id } = IdParam.parse(req.params);
    res.json(await readItem(id, deps));
  });

  r.post("/items", ...operator, jsonBody, async (req, res) => {
    const body = NewItem.parse(req.body);
    const out = await createItem(body, idempotencyScope(req, body), deps);
    res.status(out.status).location(`/items/${out.body.id}`).json(out.body);
  });

  r.post("/items/:id/restock", ...operator, jsonBody, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const { quantity } = Restock.parse(req.body);
    const out = await restockItem({ id, quantity }, idempotencyScope(req, { id, quantity }), deps);
    res.status(out.status).json(out.body);
  });
  return r;
}
