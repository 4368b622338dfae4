import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import { collectDefaultMetrics, Counter, Histogram, Registry } from "prom-client";
import type { SettleHandlers } from "@flashsale/queue";

/** A worker's Prometheus metrics; one registry per worker (tests run several in one process). */
export interface WorkerMetrics {
  registry: Registry;
  /** Counts one settled message by the order's outcome (the settle handlers' onSettled). */
  settled(orderId: string, status: string): void;
  /** The same handlers, timed: settle duration by result, and dead letters counted. */
  instrument(handlers: SettleHandlers): SettleHandlers;
}

/** Creates the worker's registry: orders settled by outcome, settle duration, dead letters, process metrics. */
export function workerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const settled = new Counter({ name: "flashsale_worker_orders_settled_total", help: "Settle messages handled, by the order's outcome", labelNames: ["outcome"], registers: [registry] });
  const duration = new Histogram({
    name: "flashsale_worker_settle_duration_seconds",
    help: "Time to handle one settle message (Redis step, PostgreSQL transaction, release), by result",
    labelNames: ["result"],
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dead = new Counter({ name: "flashsale_worker_dead_lettered_total", help: "Orders marked FAILED after their retries were spent", registers: [registry] });
  return {
    registry,
    settled: (_orderId, status) => settled.inc({ outcome: status }),
    instrument: (h) => ({
      async settle(cmd, attempt) {
        const end = duration.startTimer();
        try {
          await h.settle(cmd, attempt);
          end({ result: "ok" });
        } catch (err) {
          end({ result: "error" });
          throw err;
        }
      },
      async exhausted(cmd, err) {
        await h.exhausted(cmd, err);
        dead.inc();
      },
    }),
  };
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves GET /metrics on `port` (0 = disabled). A port already taken is logged and skipped:
 * settling orders matters more than being scraped. Unauthenticated: keep the port private.
 */
export async function serveMetrics(port: number, registry: Registry, log: Pick<Logger, "info" | "warn">): Promise<MetricsServer | null> {
  if (port === 0) return null;
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { "content-type": registry.contentType }).end(text),
      () => res.writeHead(500, { "content-type": "text/plain" }).end("metrics unavailable\n"),
    );
  });
  const bound = await new Promise<boolean>((resolve) => {
    server.once("error", (err) => {
      log.warn({ port, err: err.message }, "worker metrics endpoint not started");
      resolve(false);
    });
    server.listen(port, () => resolve(true));
  });
  if (!bound) return null;
  const actual = (server.address() as AddressInfo).port;
  log.info({ port: actual }, "worker metrics on /metrics");
  return {
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a scraper's keep-alive must not hold the shutdown
      }),
  };
}
