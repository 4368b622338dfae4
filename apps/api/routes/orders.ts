import { Router } from "express";
import type { ApiDeps } from "../deps.ts";
import { placeOrder, readOrder, type PlaceOrderDeps } from "@flashsale/app";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyKey, jsonBody, requestHash } from "../http/body.ts";
import type { ApiLimits } from "../http/rate-limit.ts";
import { PlaceOrder } from "../http/requests.ts";
import { IdParam } from "../http/schemas.ts";

/** Placing orders (the hot path) and reading them back. */
export function orderRoutes(deps: ApiDeps & Pick<PlaceOrderDeps, "refusals">, limits: Pick<ApiLimits, "orders">): Router {
  const r = Router();
  const auth = authenticate(deps.verifyToken);

  r.post("/orders", auth, requireRole("buyer"), limits.orders, jsonBody, async (req, res) => {
    const body = PlaceOrder.parse(req.body);
    const key = idempotencyKey(req);
    const lines = body.items.map((l) => ({ itemId: l.itemId.toLowerCase(), quantity: l.quantity }));
    const { order } = await placeOrder(
      { userId: req.auth!.sub, lines, idempotencyKey: key, requestHash: key ? requestHash("POST", "/orders", { items: lines }) : undefined },
      deps,
    );
    res.status(202).location(`/orders/${order.id}`).json(order);
  });

  const load = (req: { params: unknown; auth?: Parameters<typeof readOrder>[0] }) => readOrder(req.auth, IdParam.parse(req.params).id.toLowerCase(), deps);

  r.get("/orders/:id", auth, async (req, res) => {
    res.json(await load(req));
  });

  r.get("/orders/:id/status", auth, async (req, res) => {
    const order = await load(req);
    res.json({ status: order.status });
  });
  return r;
}
