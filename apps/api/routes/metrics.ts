import { Router } from "express";
import type { ApiDeps } from "../deps.ts";
import { authenticate, requireRole } from "../http/auth.ts";
import { metricsSnapshot } from "@flashsale/app";
import type { ApiMetrics } from "../metrics/prometheus.ts";

/** GET /metrics (the contract's JSON) and GET /metrics/prometheus (text exposition); operators only. */
export function metricsRoutes(deps: ApiDeps, metrics: ApiMetrics): Router {
  const r = Router();
  const operator = [authenticate(deps.verifyToken), requireRole("operator")];

  r.get("/metrics", ...operator, async (_req, res) => {
    res.json(await metricsSnapshot(deps));
  });

  r.get("/metrics/prometheus", ...operator, async (_req, res) => {
    metrics.observe(await metricsSnapshot(deps));
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
