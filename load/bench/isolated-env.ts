import { spawnSync } from "node:child_process";
import path from "node:path";
import amqp from "amqplib";
import pg from "pg";
import { Redis } from "ioredis";
import { parseConfig, type Config } from "@flashsale/config";
import { deleteTopology } from "@flashsale/queue";
import { root } from "./children";

export interface BenchEnv {
  id: string;
  /** The variables every process of the run gets (API, workers, this one). */
  vars: Record<string, string>;
  cfg: Config;
  dispose(): Promise<void>;
}

async function admin(url: URL, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/**
 * A run of its own, like `npm test`: a fresh database flashsale_bench_<id> (migrated with
 * `prisma migrate deploy`), a Redis key prefix and queue names of its own; dispose() removes all three.
 */
export async function isolatedEnv(): Promise<BenchEnv> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flashsale");
  const adminUrl = new URL(base);
  adminUrl.pathname = "/postgres";
  const dbUrl = new URL(base);
  dbUrl.pathname = `/flashsale_bench_${id}`;
  const vars: Record<string, string> = {
    NODE_ENV: "production",
    DATABASE_URL: dbUrl.toString(),
    REDIS_PREFIX: `bench:${id}:`,
    QUEUE_PREFIX: `bench-${id}`,
    JWT_SECRET: process.env.JWT_SECRET ?? "bench-secret-of-at-least-16-chars",
    LOG_LEVEL: "warn",
    // All load comes from one address: keep the per-address limiter's Redis call, not its refusals.
    RATE_LIMIT_IP_PER_SEC: "1000000",
    WORKER_METRICS_PORT: "0",
    // One API process, like the one bare Express process it is compared with (API_PROCESSES=N npm run bench to override).
    API_PROCESSES: process.env.API_PROCESSES ?? "1",
  };
  const cfg = parseConfig({ ...process.env, ...vars });
  await admin(adminUrl, `CREATE DATABASE "flashsale_bench_${id}"`);
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: root,
    env: { ...process.env, ...vars },
    encoding: "utf8",
  });
  if (migrate.status !== 0) {
    await admin(adminUrl, `DROP DATABASE IF EXISTS "flashsale_bench_${id}" WITH (FORCE)`);
    throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);
  }
  return {
    id,
    vars,
    cfg,
    async dispose() {
      await admin(adminUrl, `DROP DATABASE IF EXISTS "flashsale_bench_${id}" WITH (FORCE)`).catch((e) => console.error(`cleanup db: ${e.message}`));
      await deleteRedisKeys(cfg).catch((e) => console.error(`cleanup redis: ${e.message}`));
      await deleteQueues(cfg).catch((e) => console.error(`cleanup queues: ${e.message}`));
    },
  };
}

async function deleteRedisKeys(cfg: Config): Promise<void> {
  const redis = new Redis(cfg.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${cfg.redisPrefix}*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function deleteQueues(cfg: Config): Promise<void> {
  const conn = await amqp.connect(cfg.rabbitmqUrl);
  try {
    await deleteTopology(await conn.createChannel(), cfg.queue);
  } finally {
    await conn.close();
  }
}
