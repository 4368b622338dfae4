import type { RequestHandler } from "express";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { MetricsSnapshot } from "@flashsale/app";

/** What the API reports to Prometheus; one registry per app (tests run several in one process). */
export interface ApiMetrics {
  registry: Registry;
  /** Middleware: counts and times every request by method, route pattern and status. */
  track: RequestHandler;
  /** Counts one answer of the reservation gate: reserved, duplicate, or a refusal code. */
  reservation(outcome: string): void;
  /** Sets the order and queue gauges from a fresh snapshot, just before a scrape. */
  observe(snapshot: MetricsSnapshot): void;
}

/** Creates the API's Prometheus registry and metrics. */
export function apiMetrics(): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ["method", "route", "status"] as const;
  const requests = new Counter({ name: "flashsale_http_requests_total", help: "HTTP requests by method, route pattern and status", labelNames, registers: [registry] });
  const latency = new Histogram({
    name: "flashsale_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status",
    labelNames,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const reservations = new Counter({ name: "flashsale_reservations_total", help: "Answers of the reservation gate to POST /orders: reserved, duplicate, or the refusal code", labelNames: ["outcome"], registers: [registry] });
  const orders = new Gauge({ name: "flashsale_orders", help: "Orders by status (PENDING/PROCESSING from Redis, the rest from PostgreSQL)", labelNames: ["status"], registers: [registry] });
  const avg = new Gauge({ name: "flashsale_order_processing_time_avg_ms", help: "Mean createdAt→completedAt of COMPLETED orders, ms", registers: [registry] });
  const queue = new Gauge({ name: "flashsale_queue_messages", help: "Settle queue: ready messages (depth), consumers, dead letters", labelNames: ["measure"], registers: [registry] });

  // The labelled children, built once per (method, route, status): label objects are hashed
  // on every call otherwise, a measurable share of a request's CPU.
  const series = new Map<string, { count: ReturnType<typeof requests.labels>; time: ReturnType<typeof latency.labels> }>();
  const seriesFor = (method: string, route: string, status: string) => {
    const key = `${method} ${route} ${status}`;
    let s = series.get(key);
    if (!s) {
      s = { count: requests.labels(method, route, status), time: latency.labels(method, route, status) };
      series.set(key, s);
    }
    return s;
  };

  const track: RequestHandler = (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      // The route pattern (/orders/:id), never the raw URL: one series per endpoint.
      const route = req.route?.path ? `${req.baseUrl}${String(req.route.path)}` : "unmatched";
      const s = seriesFor(req.method, route, String(res.statusCode));
      s.count.inc();
      s.time.observe(Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };

  return {
    registry,
    track,
    reservation: (outcome) => reservations.inc({ outcome }),
    observe(s) {
      for (const [status, n] of Object.entries(s.orderCounts)) if (n !== null) orders.set({ status }, n);
      avg.set(s.averageProcessingTimeMs ?? Number.NaN); // NaN: no completed order yet
      for (const [measure, n] of Object.entries(s.queue)) if (n !== null) queue.set({ measure }, n);
    },
  };
}
