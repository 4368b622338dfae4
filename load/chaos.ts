// `npm run chaos [-- --rounds 3 --faults kill-worker,restart-rabbitmq,flush-redis,restart-postgres,kill-api]`
// `npm run chaos -- --random 10 [--seed 42] [--faults …]`
// `npm run chaos -- --cluster [--random N] [--faults …]`
// A sale under load on the product as `npm start` runs it; during each sale one fault is
// injected for real (restarts need root: run it on a machine of your own, never beside a
// production service). With --random N, N sales instead, each with 2 or 3 faults drawn from
// --faults at random moments of its first 4 s, so that they overlap (Jepsen-style
// schedules; --seed replays one). After the queue drains, the invariant checker reads PostgreSQL.
// Isolated: its own database, Redis key prefix and queue names, removed at the end
// (flush-redis does empty the whole Redis server). --cluster runs the stack on a 3-node RabbitMQ
// cluster of the run's own (test/support/rabbit-cluster.ts, RABBITMQ_URLS), removed at the end,
// and its broker fault is stop-rabbit-leader (the node leading the settle queue stopped and
// started again) instead of restarting the machine's node. It also runs the stack on a 6-node
// Redis Cluster of the run's own (test/support/redis-cluster.ts, REDIS_CLUSTER_NODES), removed
// at the end, where kill-redis-master SIGKILLs the sale item's master (its replica is promoted,
// the node comes back as a replica) and flush-redis empties every master of that cluster.
import { parseArgs } from "node:util";
import { parseConfig } from "@flashsale/config";
import { queueNames } from "@flashsale/queue";
import { createDb, gateSnapshot } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import { gateStatuses } from "./verify/index";
import { createBuyers } from "./fixtures/buyers";
import { CLUSTER_FAULTS, CLUSTER_ONLY, FAULTS, SINGLE_FAULTS, type Fault } from "./chaos/faults";
import { RabbitCluster } from "../test/support/rabbit-cluster";
import { RedisCluster } from "../test/support/redis-cluster";
import { runScenario, type ScenarioResult, type ScheduledFault } from "./chaos/scenario";
import { randomSchedules } from "./chaos/random-schedules";
import { SupervisedStack } from "./chaos/supervised-stack";
import { isolatedRun } from "./chaos/isolated-run";

const { values } = parseArgs({
  options: {
    rounds: { type: "string", default: "3" },
    faults: { type: "string" },
    cluster: { type: "boolean", default: false },
    buyers: { type: "string", default: "2000" },
    stock: { type: "string", default: "150" },
    random: { type: "string" },
    seed: { type: "string" },
  },
});
const faults = (values.faults?.split(",") ?? (values.cluster ? CLUSTER_FAULTS : SINGLE_FAULTS)) as Fault[];
for (const f of faults) if (!FAULTS.includes(f)) throw new Error(`unknown fault ${f}; one of ${FAULTS.join(", ")}`);
for (const f of CLUSTER_ONLY) if (faults.includes(f) && !values.cluster) throw new Error(`${f} needs --cluster (RabbitMQ and Redis clusters of the run's own)`);
if (faults.includes("restart-rabbitmq") && values.cluster) throw new Error("restart-rabbitmq restarts the machine's node, which a --cluster run does not use; stop-rabbit-leader is its fault");

// The run's database first (its migration, a spawnSync, holds this process), then the clusters,
// each removed at the end, on exit, Ctrl-C or SIGTERM by the harnesses' hooks. `npm run chaos`
// runs `node --import tsx`, not the tsx CLI: that one SIGKILLs its child when the child has not
// acknowledged a Ctrl-C within ~60 ms (a busy sale often has not), and no hook runs then.
const run = await isolatedRun("chaos");
let redisCluster: RedisCluster | undefined;
let cluster: RabbitCluster | undefined;
try {
  redisCluster = values.cluster ? await RedisCluster.start() : undefined;
  cluster = values.cluster ? await RabbitCluster.start(3) : undefined;
} catch (err) {
  await redisCluster?.stop();
  await run.cleanup();
  throw err;
}
if (cluster) run.env.RABBITMQ_URLS = cluster.urls.join(",");
if (redisCluster) run.env.REDIS_CLUSTER_NODES = redisCluster.seeds;
if (cluster) console.log(`chaos: RabbitMQ cluster of 3 nodes (${cluster.urls.length} URLs), Redis Cluster of 6 nodes (3 masters + 3 replicas) on ${redisCluster!.seeds}`);
const cfg = parseConfig({ ...process.env, ...run.env });
const rabbit = cluster && { cluster, settleQueue: queueNames(cfg.queue.prefix, cfg.queue.type).settleQueue };
const db = createDb(cfg.databaseUrl, 4);
const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 2 });
redis.on("error", () => undefined);
const gate = new ReservationGate(redis, cfg.redisPrefix, { snapshot: (ids) => gateSnapshot(db, ids) });
const stack = new SupervisedStack(run.env);
const results: ScenarioResult[] = [];
let exitCode = 1;
try {
  const buyers = await createBuyers(db, cfg.jwt, { count: Number(values.buyers), balance: 10_000_000, currency: "USD" });
  const tokens = buyers.map((b) => b.token);
  stack.start();
  const seed = Number(values.seed ?? Date.now() % 1_000_000);
  const rounds: ScheduledFault[][][] = values.random
    ? randomSchedules(faults, Number(values.random), seed).map((s) => [s])
    : Array.from({ length: Number(values.rounds) }, () => faults.map((fault) => [{ fault, atMs: 1500 }]));
  if (values.random) console.log(`chaos: ${values.random} random schedules, seed ${seed} (--seed ${seed} replays them)`);
  for (const [i, schedules] of rounds.entries()) {
    const round = i + 1;
    for (const schedule of schedules) {
      const r = await runScenario({ schedule, round, url: run.url, db, gate, redis, rabbit, redisCluster, stack, tokens, stock: Number(values.stock) });
      results.push(r);
      console.log(
        `${r.fault.padEnd(18)} round ${round}: requests ${r.requests}, accepted ${r.accepted}, completed ${r.completed}, rejected ${r.rejected}, failed ${r.failed}, ` +
          `503 ${r.unavailable}, unanswered ${r.network}, 500 ${r.internal}, lost ${r.lost}, violations ${r.violations.length}, drained in ${r.drainMs} ms`,
      );
      for (const note of r.notes) console.log(`    ${note}`);
      for (const v of r.violations.slice(0, 10)) console.log(`    violation (invariant ${v.invariant}): ${v.check}: ${v.detail}`);
      if (r.lost) console.log(`    lost orders as the gate knows them: ${JSON.stringify(await gateStatuses(gate, r.lostIds).catch((e: Error) => ({ [`Redis unreachable: ${e.message}`]: r.lost })))}`);
    }
  }
  const stopCode = await stack.stop();
  const bad = results.filter((r) => r.violations.length > 0 || r.lost > 0 || r.internal > 0);
  const sum = (k: keyof ScenarioResult) => results.reduce((a, r) => a + (r[k] as number), 0);
  console.log(
    `chaos: ${sum("injected")} faults injected in ${results.length} sales, ${sum("accepted")} orders accepted, ${sum("completed")} completed, ${sum("rejected")} rejected, ` +
      `503 ${sum("unavailable")}, lost ${sum("lost")}, ` +
      `violations ${results.reduce((a, r) => a + r.violations.length, 0)}, 500s ${sum("internal")}, supervisor restarts ${stack.restarts.length}, stack exit ${stopCode}`,
  );
  exitCode = bad.length === 0 && stopCode === 0 ? 0 : 1;
} finally {
  await stack.stop();
  redis.disconnect();
  await db.$disconnect();
  await run.cleanup();
  await cluster?.stop();
  await redisCluster?.stop();
}
process.exit(exitCode);
