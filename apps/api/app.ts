import express from "express";
import helmet from "helmet";
import { AppError } from "@flashsale/domain";
import type { ApiDeps } from "./deps.ts";
import { problemHandler } from "./http/problem.ts";
import { escapeStrayPercents } from "./http/path-escapes.ts";
import { healthRoutes } from "./routes/health.ts";
import { openapiRoutes } from "./routes/openapi.ts";
import { refuseOptions } from "./http/no-options.ts";
import { requireHost } from "./http/server-refusals.ts";
import { userRoutes } from "./routes/users.ts";
import { walletRoutes } from "./routes/wallets.ts";
import { itemRoutes } from "./routes/items.ts";
import { orderRoutes } from "./routes/orders.ts";
import { orderEventRoutes } from "./routes/order-events.ts";
import { orderHistoryRoutes } from "./routes/order-history.ts";
import { refundRoutes } from "./routes/refunds.ts";
import { metricsRoutes } from "./routes/metrics.ts";
import { apiMetrics } from "./metrics/prometheus.ts";
import { dashboardRoutes } from "./routes/dashboard.ts";
import { LocalRefusals } from "./orders/local-refusals.ts";
import { apiLimits } from "./http/rate-limit.ts";

/** The HTTP application: security headers, the routes of the contract, one error handler. */
export function createApp(deps: ApiDeps): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.set("etag", false);
  const metrics = apiMetrics();
  app.use(metrics.track);
  app.use(helmet());
  app.use(requireHost);
  app.use(refuseOptions);
  app.use(escapeStrayPercents);

  // The hot path first: Express tries the routers in order, so POST /orders (and the order
  // reads) skip every other router. No two routers share a path: a pattern matches whole
  // segments, so GET /orders (the list) is not GET /orders/:id, nor /orders/:id/events.
  const limits = apiLimits(deps.redis, deps.gate.keys, deps.cfg.rateLimit);
  const refusals = new LocalRefusals();
  deps.gate.onUnitsBack(() => refusals.forgetAll());
  deps.statusFeed.onUnitsBack(() => refusals.forgetAll());
  app.use(orderRoutes({ ...deps, refusals, onReservation: (o) => (metrics.reservation(o), deps.onReservation?.(o)) }, limits));
  app.use(itemRoutes(deps));
  app.use(healthRoutes(deps));
  app.use(openapiRoutes());
  app.use(userRoutes(deps, limits));
  app.use(walletRoutes(deps));
  app.use(orderHistoryRoutes(deps));
  app.use(orderEventRoutes(deps));
  app.use(refundRoutes(deps));
  app.use(metricsRoutes(deps, metrics));
  app.use(dashboardRoutes(deps));

  app.use(() => {
    throw new AppError("NOT_FOUND", "no such endpoint");
  });
  app.use(problemHandler(deps.log));
  return app;
}
