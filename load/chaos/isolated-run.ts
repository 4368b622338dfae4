import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import amqp from "amqplib";
import pg from "pg";
import { Redis } from "ioredis";
import { deleteTopology } from "@flashsale/queue";
import { freePort } from "../bench/children";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** A database, Redis prefix, queue prefix and port of a run's own; cleanup() removes them. */
export async function isolatedRun(kind: string) {
  const id = `${kind}_${Date.now().toString(36)}`;
  const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flashsale");
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const dbUrl = new URL(base);
  dbUrl.pathname = `/flashsale_${id}`;
  const sql = async (q: string) => {
    const c = new pg.Client({ connectionString: admin.toString() });
    await c.connect();
    try {
      await c.query(q);
    } finally {
      await c.end();
    }
  };
  await sql(`CREATE DATABASE "flashsale_${id}"`);
  const port = await freePort();
  const env: Record<string, string> = {
    DATABASE_URL: dbUrl.toString(),
    REDIS_PREFIX: `${id}:`,
    QUEUE_PREFIX: id.replace(/_/g, "-"),
    PORT: String(port),
    WORKERS: "2",
    WORKER_METRICS_PORT: "0",
    JWT_SECRET: process.env.JWT_SECRET ?? "chaos-secret-at-least-16-chars",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    RATE_LIMIT_USER_PER_SEC: "0",
    RATE_LIMIT_IP_PER_SEC: "0",
  };
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env: { ...process.env, ...env }, stdio: "ignore" });
  if (migrate.status !== 0) throw new Error("prisma migrate deploy failed");
  return {
    env,
    url: `http://127.0.0.1:${port}`,
    async cleanup() {
      await sql(`DROP DATABASE IF EXISTS "flashsale_${id}" WITH (FORCE)`).catch(() => undefined);
      const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { maxRetriesPerRequest: 1 });
      redis.on("error", () => undefined);
      const keys = await redis.keys(`${id}:*`).catch(() => [] as string[]);
      if (keys.length) await redis.del(...keys).catch(() => undefined);
      redis.disconnect();
      const conn = await amqp.connect(process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672").catch(() => null);
      if (conn) {
        const ch = await conn.createChannel();
        await deleteTopology(ch, { prefix: env.QUEUE_PREFIX!, type: "quorum", retryDelaysMs: [1000, 2000, 4000, 8000, 16000, 30000, 30000] }).catch(() => undefined);
        await conn.close().catch(() => undefined);
      }
    },
  };
}
