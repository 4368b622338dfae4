import { Redis } from "ioredis";
import { pino, type Logger } from "pino";
import type { Config } from "@flashsale/config";
import { createDb } from "@flashsale/db";
import { ReservationGate } from "@flashsale/reservations";
import { SettleConsumer } from "@flashsale/queue";
import { settleHandlers } from "./settle-handlers";

export interface RunningWorker {
  consumer: SettleConsumer;
  stop(): Promise<void>;
}

/** Starts one settle worker: a consumer with prefetch(1) over its own database pool and Redis connection. */
export async function start(cfg: Config, log: Logger = pino({ level: cfg.logLevel, name: "worker" })): Promise<RunningWorker> {
  const db = createDb(cfg.databaseUrl, 4);
  const redis = new Redis(cfg.redisUrl, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
  redis.on("error", (err) => log.warn({ err: err.message }, "redis error"));
  const gate = new ReservationGate(redis, cfg.redisPrefix, undefined, cfg.idempotencyTtlSeconds);
  const consumer = new SettleConsumer(cfg.rabbitmqUrl, cfg.queue, settleHandlers({ db, gate, log, now: () => new Date(), faultPause: cfg.faultPause }), log);
  await consumer.start();
  log.info({}, "worker started");
  return {
    consumer,
    async stop() {
      await consumer.stop();
      redis.disconnect();
      await db.$disconnect();
      log.info({}, "worker stopped");
    },
  };
}
