import { Router } from "express";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { idempotencyScope, jsonBody } from "../http/body.ts";
import { RefundRequest } from "../http/requests.ts";
import { IdParam } from "../http/schemas.ts";
import { refund } from "@flashsale/app";

/** POST /orders/:id/refund (operators), with Idempotency-Key. */
export function refundRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.post("/orders/:id/refund", authenticate(deps.verifyToken), requireRole("operator"), jsonBody, async (req, res) => {
    const { id } = IdParam.parse(req.params);
    RefundRequest.optional().parse(req.body);
    const orderId = id.toLowerCase();
    const scope = idempotencyScope(req, {});
    res.json(await refund({ orderId, scope }, deps));
  });
  return r;
}
