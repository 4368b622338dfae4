import { Router } from "express";
import { AppError, isTerminal, type OrderStatus, type OrderView } from "@flashsale/domain";
import { lookupOrder, readOrder } from "@flashsale/app";
import type { ApiDeps } from "../deps.ts";
import { authenticate } from "../http/auth.ts";
import { EventStream } from "../http/event-stream.ts";
import { IdParam } from "../http/schemas.ts";

/** How far along an order is: an event is sent only for a status further along than the last one. */
const STAGE: Record<OrderStatus, number> = { PENDING: 0, PROCESSING: 1, COMPLETED: 2, REJECTED: 2, FAILED: 2, REFUNDED: 3 };

/**
 * GET /orders/:id/events: Server-Sent Events of one order. The current state at once, then
 * one event per change, closing after a terminal status. Only its buyer or an operator may
 * listen: nothing is written, not even a header, before that check has passed. The feed is
 * listened to before the first read so no change falls between the read and the
 * subscription; a change that arrives earlier is only noted, and read again once the stream is open.
 */
export function orderEventRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.get("/orders/:id/events", authenticate(deps.verifyToken), async (req, res) => {
    const { id } = IdParam.parse(req.params);
    const orderId = id.toLowerCase();
    let follow: (() => void) | undefined;
    let changedEarly = false;
    const unlisten = await deps.statusFeed.listen(orderId, () => (follow ? follow() : (changedEarly = true))).catch(() => {
      throw new AppError("UNAVAILABLE", "order status changes cannot be followed right now");
    });
    let order: OrderView | null;
    try {
      order = await readOrder(req.auth, orderId, deps);
    } catch (err) {
      unlisten();
      throw err;
    }

    const stream = new EventStream(res);
    const unlistenStop = deps.statusFeed.onStop(() => stream.close());
    stream.whenClosed(() => (unlisten(), unlistenStop()));
    let last = order.status;
    const show = (o: OrderView) => {
      stream.send("status", o, { id: o.status });
      if (isTerminal(o.status)) stream.close();
    };
    stream.open();
    show(order);
    if (stream.closed) return;
    follow = readAgain(orderId, deps, stream, (o) => {
      if (STAGE[o.status] <= STAGE[last]) return; // not newer than what the client has
      last = o.status;
      show(o);
    });
    if (changedEarly) follow();
  });
  return r;
}

/**
 * A reader that re-reads the order on each change, one read at a time and in order (so a slow
 * read can never deliver an older status after a newer one), coalescing changes that arrive
 * while a read is under way into one more read.
 */
function readAgain(orderId: string, deps: ApiDeps, stream: EventStream, deliver: (o: OrderView) => void): () => void {
  let reading = false;
  let again = false;
  const run = async () => {
    reading = true;
    do {
      again = false;
      const o = await lookupOrder(orderId, deps).catch(() => null);
      if (stream.closed) break;
      if (o) deliver(o);
    } while (again && !stream.closed);
    reading = false;
  };
  return () => {
    if (reading) again = true;
    else void run();
  };
}
