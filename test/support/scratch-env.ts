// One scratch environment for a run of the suite, a bench, a chaos run or a plan report: a database
// of its own (created and migrated with `prisma migrate deploy`), a Redis key prefix and queue
// names of its own; dispose() drops the database and deletes the keys and queues. test/run.ts
// and load/ (bench, chaos, explain-order-history) all create theirs here.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { Redis } from "ioredis";
import { parseConfig } from "@flashsale/config";
import { connectFirst, deleteTopology, type QueueOptions } from "@flashsale/queue";

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export interface ScratchEnv {
  id: string;
  dbName: string;
  /** DATABASE_URL, REDIS_PREFIX and QUEUE_PREFIX of this environment. */
  vars: { DATABASE_URL: string; REDIS_PREFIX: string; QUEUE_PREFIX: string };
  adminUrl: string;
  /** Drops the database, deletes the Redis keys under the prefix and the queues (topologies) named; errors are printed, not thrown. */
  dispose(queues?: QueueOptions[]): Promise<void>;
}

export interface ScratchOptions {
  /** Names the pieces: database flashsale_<kind>_<id>, Redis prefix <kind>:<id>:, queue prefix <kind>-<id>. */
  kind: string;
  /** Extra variables for `prisma migrate deploy` (defaults: process.env). */
  env?: Record<string, string | undefined>;
  /** false: the database is created empty (no migrations). */
  migrate?: boolean;
  /** Print cleanup errors (default true). */
  quiet?: boolean;
}

export async function adminQuery(url: string, sql: string): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function scratchEnv(opts: ScratchOptions): Promise<ScratchEnv> {
  const id = `${Date.now().toString(36)}${process.pid.toString(36)}`;
  const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flashsale");
  const admin = new URL(base);
  admin.pathname = "/postgres";
  const dbName = `flashsale_${opts.kind}_${id}`;
  const dbUrl = new URL(base);
  dbUrl.pathname = `/${dbName}`;
  const vars = { DATABASE_URL: dbUrl.toString(), REDIS_PREFIX: `${opts.kind}:${id}:`, QUEUE_PREFIX: `${opts.kind}-${id}` };
  const report = (what: string) => (e: Error) => {
    if (!opts.quiet) console.error(`cleanup ${what}: ${e.message}`);
  };
  const dropDb = () => adminQuery(admin.toString(), `DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);

  await adminQuery(admin.toString(), `CREATE DATABASE "${dbName}"`);
  if (opts.migrate !== false) {
    const migrate = spawnSync(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
      cwd: repoRoot,
      env: { ...process.env, ...opts.env, ...vars },
      encoding: "utf8",
    });
    if (migrate.status !== 0) {
      await dropDb().catch(report("db"));
      throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);
    }
  }
  return {
    id,
    dbName,
    vars,
    adminUrl: admin.toString(),
    async dispose(queues = []) {
      await dropDb().catch(report("db"));
      await deleteRedisKeys(vars.REDIS_PREFIX).catch(report("redis"));
      if (queues.length) await deleteQueues(queues).catch(report("queues"));
    },
  };
}

/** Deletes every key under the prefix on the run's Redis. */
export async function deleteRedisKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function deleteQueues(queues: QueueOptions[]): Promise<void> {
  const conn = await connectFirst(parseConfig(process.env).rabbitmqUrls);
  try {
    for (const q of queues) {
      const ch = await conn.createChannel();
      await deleteTopology(ch, q).catch(() => undefined);
      await ch.close().catch(() => undefined);
    }
  } finally {
    await conn.close().catch(() => undefined);
  }
}
