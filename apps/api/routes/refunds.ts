import { Router } from "express";
import { z } from "zod";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { IdParam } from "../http/schemas.ts";
import { refund } from "@flashsale/app";

// No body, or an empty object: a refund is always of the whole order.
const RefundBody = z.strictObject({}).optional();

/** POST /orders/:id/refund (operators), with Idempotency-Key. */
export function refundRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.post("/orders/:id/refund", authenticate(deps.verifyToken), requireRole("operator"), jsonBody, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    RefundBody.parse(req.body);
    const orderId = id.toLowerCase();
    const scope = idempotencyScope(req, {});
    res.json(await refund({ orderId, scope }, deps));
  });
  return r;
}
