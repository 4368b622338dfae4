import express from "express";
import helmet from "helmet";
import { AppError } from "@flashsale/domain";
import type { ApiDeps } from "./deps";
import { problemHandler } from "./http/problem";
import { escapeStrayPercents } from "./http/path-escapes";
import { healthRoutes } from "./routes/health";
import { openapiRoutes } from "./routes/openapi";
import { refuseOptions } from "./http/no-options";
import { requireHost } from "./http/server-refusals";
import { userRoutes } from "./routes/users";
import { walletRoutes } from "./routes/wallets";
import { itemRoutes } from "./routes/items";
import { orderRoutes } from "./routes/orders";
import { orderEventRoutes } from "./routes/order-events";
import { orderHistoryRoutes } from "./routes/order-history";
import { refundRoutes } from "./routes/refunds";
import { metricsRoutes } from "./routes/metrics";
import { apiMetrics } from "./metrics/prometheus";
import { dashboardRoutes } from "./routes/dashboard";
import { LocalRefusals } from "./orders/local-refusals";

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

  app.use(healthRoutes(deps));
  app.use(openapiRoutes());
  app.use(userRoutes(deps));
  app.use(walletRoutes(deps));
  app.use(itemRoutes(deps));
  // GET /orders (the list) and GET /orders/:id do not overlap: a pattern matches whole segments.
  app.use(orderHistoryRoutes(deps));
  const refusals = new LocalRefusals();
  deps.gate.onUnitsBack(() => refusals.forgetAll());
  deps.statusFeed.onUnitsBack(() => refusals.forgetAll());
  app.use(orderRoutes({ ...deps, refusals, onReservation: (o) => (metrics.reservation(o), deps.onReservation?.(o)) }));
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
