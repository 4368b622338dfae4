// `npm test`: the whole suite against real PostgreSQL, Redis and RabbitMQ, isolated per run:
// its own database (migrated here), its own Redis key prefix and its own queue names, all
// removed at the end. Ends with one line `N passed, N failed` (CI reads it).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Mocha from "mocha";
import pg from "pg";
import { Redis } from "ioredis";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const runId = `${Date.now().toString(36)}${process.pid.toString(36)}`;
const base = new URL(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/flashsale");
const dbName = `flashsale_test_${runId}`;
const adminUrl = new URL(base);
adminUrl.pathname = "/postgres";
const testUrl = new URL(base);
testUrl.pathname = `/${dbName}`;

Object.assign(process.env, {
  NODE_ENV: "test",
  DATABASE_URL: testUrl.toString(),
  REDIS_PREFIX: `test:${runId}:`,
  QUEUE_PREFIX: `test-${runId}`,
  JWT_SECRET: process.env.TEST_JWT_SECRET ?? "test-secret-of-at-least-16-chars",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  RETRY_DELAYS_MS: "50,100,200",
  RATE_LIMIT_USER_PER_SEC: "0",
  RATE_LIMIT_IP_PER_SEC: "0",
  QUEUE_TYPE: "classic",
  // One API process per spawned API unless a test asks for more (a SIGKILL then reaches the one that serves).
  API_PROCESSES: "1",
});

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: adminUrl.toString() });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

async function cleanup() {
  await admin(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch((e) => console.error(`cleanup db: ${e.message}`));
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${process.env.REDIS_PREFIX}*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } catch (e) {
    console.error(`cleanup redis: ${(e as Error).message}`);
  } finally {
    redis.disconnect();
  }
  const { deleteUsedTopologies } = await import("./support/broker");
  await deleteUsedTopologies().catch((e) => console.error(`cleanup queues: ${e.message}`));
}

let passed = 0;
let failed = 0;
try {
  await admin(`CREATE DATABASE "${dbName}"`);
  const migrate = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, env: process.env, encoding: "utf8" });
  if (migrate.status !== 0) throw new Error(`prisma migrate deploy failed:\n${migrate.stdout}\n${migrate.stderr}`);

  const { mochaHooks } = await import("./support/hooks");
  const mocha = new Mocha({ timeout: 60_000, reporter: "spec", grep: process.env.TEST_GREP, rootHooks: mochaHooks });
  const files = readdirSync(path.join(root, "test"), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".test.ts"))
    .sort();
  for (const f of files) mocha.addFile(path.join(root, "test", f));
  await mocha.loadFilesAsync();
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    runner.on("pass", () => passed++);
    runner.on("fail", () => failed++);
  });
} catch (err) {
  console.error(err);
  failed++;
} finally {
  await cleanup();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
