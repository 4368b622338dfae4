import { pino, type Logger } from "pino";
import type { Config } from "@flashsale/config";
import { createDb, createPool, pgSettleSql } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import type { SettleStages } from "@flashsale/app";
import { SettleConsumer } from "@flashsale/queue";
import { settleHandlers } from "./settle-handlers.ts";
import { serveMetrics, workerMetrics } from "./metrics-server.ts";

export interface RunningWorker {
  consumer: SettleConsumer;
  /** The port of this worker's Prometheus endpoint, when it serves one (WORKER_METRICS_PORT). */
  metricsPort?: number;
  stop(): Promise<void>;
}

/**
 * Starts one settle worker: a consumer with prefetch(1) over its own database pool and Redis
 * connection. `stages` is for tests only (wait inside a settle to kill the process there).
 */
export async function start(cfg: Config, log: Logger = pino({ level: cfg.logLevel, name: "worker" }), opts: { stages?: SettleStages } = {}): Promise<RunningWorker> {
  // One pool: the settle statement goes through it directly, Prisma's few reads over the same connections.
  const pool = createPool(cfg.databaseUrl, 4);
  pool.on("error", (err) => log.warn({ err: err.message }, "postgres pool error"));
  const db = createDb(pool);
  // No auto-pipelining: with prefetch(1) a worker has one command in flight, so batching only adds a tick and a Pipeline per call.
  const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 2, offlineQueue: true, commandTimeoutMs: 15_000, clusterRetries: 100 });
  redis.on("error", (err) => log.warn({ err: err.message }, "redis error"));
  const gate = new ReservationGate(redis, cfg.redisPrefix, { idempotencyTtlSeconds: cfg.idempotencyTtlSeconds });
  const metrics = workerMetrics();
  const handlers = settleHandlers({ db, sql: pgSettleSql(pool), gate, log, now: () => new Date(), stages: opts.stages, onSettled: metrics.settled });
  const consumer = new SettleConsumer(cfg.rabbitmqUrls, cfg.queue, metrics.instrument(handlers), log);
  await consumer.start();
  const metricsServer = await serveMetrics(cfg.workerMetricsPort, metrics.registry, log);
  log.info({}, "worker started");
  return {
    consumer,
    metricsPort: metricsServer?.port,
    async stop() {
      await consumer.stop();
      await metricsServer?.close();
      redis.disconnect();
      await db.$disconnect();
      await pool.end();
      log.info({}, "worker stopped");
    },
  };
}
