import { Router } from "express";
import { listOrders } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate } from "../http/auth.ts";
import { decodeCursor, encodeCursor } from "../http/paging.ts";
import { HistoryQuery } from "../http/requests.ts";

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
