// `npm test`: the whole suite against real PostgreSQL, Redis and RabbitMQ, isolated per run:
// its own database (migrated here), its own Redis key prefix and its own queue names, all
// removed at the end. Ends with one line `N passed, N failed` (CI reads it).
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import Mocha from "mocha";
import { scratchEnv, type ScratchEnv } from "./support/scratch-env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

Object.assign(process.env, {
  NODE_ENV: "test",
  JWT_SECRET: process.env.TEST_JWT_SECRET ?? "test-secret-of-at-least-16-chars",
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
  RETRY_DELAYS_MS: "50,100,200",
  RATE_LIMIT_USER_PER_SEC: "0",
  RATE_LIMIT_IP_PER_SEC: "0",
  // One API process per spawned API unless a test asks for more (a SIGKILL then reaches the one that serves).
  API_PROCESSES: "1",
});

async function cleanup(scratch: ScratchEnv | undefined) {
  await scratch?.dispose();
  const { deleteUsedTopologies } = await import("./support/broker");
  await deleteUsedTopologies().catch((e) => console.error(`cleanup queues: ${e.message}`));
}

let passed = 0;
let failed = 0;
let scratch: ScratchEnv | undefined;
try {
  // Its own database (migrated), Redis key prefix and queue prefix (test_<id>, test:<id>:, test-<id>).
  scratch = await scratchEnv({ kind: "test" });
  Object.assign(process.env, scratch.vars);

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
  await cleanup(scratch);
}
// Suites skipped for a missing Chromium are told here, never silently; the last line stays `N passed, N failed`.
const { skippedWithoutChromium, chromiumPath, CHROMIUM_HINT } = await import("./support/browser");
if (skippedWithoutChromium.length) {
  const n = skippedWithoutChromium.reduce((sum, s) => sum + s.tests, 0);
  console.log(`SKIPPED ${n} browser tests (${skippedWithoutChromium.map((s) => `"${s.suite}"`).join(", ")}): no Chromium at ${chromiumPath}; ${CHROMIUM_HINT}`);
}
const { skippedWithoutRabbitCluster } = await import("./support/rabbit-cluster");
for (const s of skippedWithoutRabbitCluster) console.log(`SKIPPED ${s.tests} RabbitMQ cluster tests ("${s.suite}"): ${s.reason}`);
const { skippedWithoutRedisCluster } = await import("./support/redis-cluster");
for (const s of skippedWithoutRedisCluster) console.log(`SKIPPED ${s.tests} Redis Cluster tests ("${s.suite}"): ${s.reason}`);
const { skippedWithoutPgReplica, PG_REPLICA_HINT } = await import("./support/pg-replica");
for (const s of skippedWithoutPgReplica) console.log(`SKIPPED ${s.tests} replica tests ("${s.suite}"): ${s.reason}; ${PG_REPLICA_HINT}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
