import { Router } from "express";
import { z } from "zod";
import { ORDER_STATUSES } from "@flashsale/domain";
import { listOrders } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate } from "../http/auth.ts";
import { decodeCursor, encodeCursor, PageQuery } from "../http/paging.ts";
import { Id, Instant } from "../http/schemas.ts";

// Strict: a misspelt filter is a 400, not a silently unfiltered list.
const HistoryQuery = z
  .strictObject({
    ...PageQuery.shape,
    status: z.enum(ORDER_STATUSES).optional(),
    itemId: Id.optional(),
    userId: Id.optional(),
    from: Instant.optional(),
    to: Instant.optional(),
  })
  // zod runs this even when a field failed (its value then still the raw text, or an array): compare only two Dates.
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from.getTime() <= q.to.getTime(), { path: ["from"], message: "must not be after `to`" });

/** GET /orders: settled orders, newest first, filtered and paged; a buyer sees only its own. */
export function orderHistoryRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/orders", authenticate(deps.verifyToken), async (req, res) => {
    const q = HistoryQuery.parse(req.query);
    const page = await listOrders(req.auth!, { ...q, after: decodeCursor(q.cursor) }, deps);
    res.json({ data: page.data, nextCursor: encodeCursor(page.next) });
  });
  return r;
}
