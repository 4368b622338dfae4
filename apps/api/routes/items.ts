import { Router } from "express";
import { createItem, listItems, readItem, restockItem } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { decodeCursor, encodeCursor, PageQuery } from "../http/paging.ts";
import { NewItem, Restock } from "../http/requests.ts";
import { IdParam } from "../http/schemas.ts";

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
