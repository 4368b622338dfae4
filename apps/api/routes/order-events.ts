import { Router, type Response } from "express";
import { AppError, isTerminal, type OrderView } from "@flashsale/domain";
import type { ApiDeps } from "../deps";
import { assertSelfOrOperator, authenticate } from "../http/auth";
import { IdParam } from "../http/schemas";
import { lookupOrder } from "../orders/order-view";

const HEARTBEAT_MS = 15_000;

function send(res: Response, order: OrderView) {
  res.write(`event: status\nid: ${order.status}\ndata: ${JSON.stringify(order)}\n\n`);
}

/**
 * GET /orders/:id/events: Server-Sent Events of one order. The current state at once, then
 * one event per change, closing after a terminal status. Only its buyer or an operator may
 * listen. Listens before reading, so no change falls between the read and the subscription.
 */
export function orderEventRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/orders/:id/events", authenticate(deps.verifyToken), async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const orderId = id.toLowerCase();
    let last: string | undefined;
    let closed = false;
    const queue: Promise<void>[] = [];
    const changed = () => {
      queue.push(
        (async () => {
          const order = await lookupOrder(orderId, deps).catch(() => null);
          if (closed || !order || order.status === last) return;
          last = order.status;
          send(res, order);
          if (isTerminal(order.status)) finish();
        })(),
      );
    };
    const unlistenChanges = deps.statusFeed.listen(orderId, changed);
    const unlistenStop = deps.statusFeed.onStop(() => finish());
    const unlisten = () => (unlistenChanges(), unlistenStop());
    const heartbeat = setInterval(() => res.write(": heartbeat\n\n"), HEARTBEAT_MS);
    const finish = () => {
      if (closed) return;
      closed = true;
      unlisten();
      clearInterval(heartbeat);
      res.end();
    };
    req.on("close", finish);
    try {
      const order = await lookupOrder(orderId, deps);
      if (!order) throw new AppError("ORDER_NOT_FOUND", "no such order");
      assertSelfOrOperator(req.auth, order.userId, "ORDER_NOT_FOUND");
      res.status(200).set({ "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no" });
      res.flushHeaders();
      res.write("retry: 2000\n\n");
      last = order.status;
      send(res, order);
      if (isTerminal(order.status)) return finish();
      changed(); // a change may have landed between listening and reading
    } catch (err) {
      closed = true;
      unlisten();
      clearInterval(heartbeat);
      throw err;
    }
  });
  return r;
}
