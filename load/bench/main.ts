// `npm run bench [-- --duration 10 --connections 256 --settle-orders 2000 --sale-buyers 4000
// --sale-units 2000 --only http,settle,sale --cpu-prof]`: every benchmark in one run on an
// isolated database, Redis prefix and queue names; prints a table (and the sale of issue 9)
// and writes load/out/bench.json (and CPU profiles with --cpu-prof).
import { existsSync, mkdirSync, rmSync, readdirSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { pino } from "pino";
import { createDb, gateSnapshot } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import { connectFirst, OrderPublisher, queueNames } from "@flashsale/queue";
import { createBuyers } from "../fixtures/buyers";
import { createSaleItem } from "../fixtures/sale-item";
import { freePort, root, RssSampler, spawnTs, waitHealthy } from "./children";
import { isolatedEnv } from "./isolated-env";
import { runHttp, type HttpBench } from "./http-run";
import { acceptBench, ceilingBench, itemBench, orderBench, refusalBench } from "./http-suite";
import { fillQueue } from "./fill-queue";
import { runSettle } from "./settle-run";
import { runSqlBaseline } from "./sql-baseline";
import { runSale, type SaleResult } from "./sale-run";
import { formatSale } from "./table";
import { formatTable, withRatios, type BenchRow } from "./table";
import { formatProfile, summariseProfile } from "./cpu-profile";
import { judgeTargets } from "./targets";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "256" },
    "settle-orders": { type: "string", default: "2000" },
    "sale-buyers": { type: "string", default: "4000" },
    "sale-units": { type: "string", default: "2000" },
    only: { type: "string", default: "http,settle,sale" },
    "cpu-prof": { type: "boolean", default: false },
  },
});
const only = new Set(values.only!.split(","));
const http = { connections: Number(values.connections), durationSec: Number(values.duration) };
const settleOrders = Number(values["settle-orders"]);
const outDir = path.join(root, "load/out");
const profDir = path.join(outDir, "profiles");
mkdirSync(outDir, { recursive: true });
if (values["cpu-prof"]) rmSync(profDir, { recursive: true, force: true });

const loadBefore = os.loadavg();
const env = await isolatedEnv();
const { cfg } = env;
const db = createDb(cfg.databaseUrl, 8);
const redis = connectRedis(cfg.redis);
const gate = new ReservationGate(redis, cfg.redisPrefix, { snapshot: (ids) => gateSnapshot(db, ids) });
const publisher = new OrderPublisher(cfg.rabbitmqUrls, cfg.queue, pino({ level: "warn" }));
const rows: BenchRow[] = [];
const rss = { api: 0, ceiling: 0, apiIdle: 0 };
const sales: SaleResult[] = [];

/** Node writes one profile per thread (tsx's loader has its own): each process gets a folder. */
function profFlags(name: string): string[] {
  return values["cpu-prof"] ? ["--cpu-prof", "--cpu-prof-dir", path.join(profDir, name)] : [];
}

/** The main thread's profile of a process: the largest file of its folder. */
function mainThreadProfile(name: string): string | undefined {
  const dir = path.join(profDir, name);
  const files = readdirSync(dir).map((f) => path.join(dir, f));
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/** A short run first (not measured), so the JIT and the pools are warm. */
async function measured(b: HttpBench): Promise<BenchRow> {
  await runHttp({ ...b, durationSec: 2 });
  const row = await runHttp(b);
  process.stderr.write(`  ${row.name}: ${row.rate.toFixed(0)} ${row.unit}, p99 ${row.p99} ms (${row.note})\n`);
  rows.push(row);
  return row;
}

try {
  await publisher.start();
  process.stderr.write(`bench ${env.id}: fixtures…\n`);
  const buyers = await createBuyers(db, cfg.jwt, { count: 2000, balance: 1_000_000_000, currency: "USD" });
  const big = { price: 100, currency: "USD", stock: 10_000_000, maxPerUser: 1000 };
  const hot = await createSaleItem(db, gate, { ...big, name: "bench: accept path" });
  const gone = await createSaleItem(db, gate, { ...big, stock: 1, name: "bench: sold out" });
  const settleItem = await createSaleItem(db, gate, { ...big, name: "bench: settle" });
  const sqlItem = await createSaleItem(db, gate, { ...big, name: "bench: SQL baseline" });

  if (only.has("http")) {
    const ceilingPort = await freePort();
    const ceiling = spawnTs("load/bench/ceiling-app.ts", { PORT: String(ceilingPort) }, { nodeFlags: profFlags("ceiling") });
    await waitHealthy(`http://127.0.0.1:${ceilingPort}/healthz`);
    const ceilingRss = new RssSampler(ceiling.proc.pid!).start();
    await measured(ceilingBench(`http://127.0.0.1:${ceilingPort}`, buyers, hot.id, http));
    ceilingRss.stop();
    rss.ceiling = ceilingRss.peak;
    await ceiling.stop();
  }

  const apiPort = await freePort();
  const api = spawnTs("apps/api/main.ts", { ...env.vars, PORT: String(apiPort) }, { nodeFlags: profFlags("api") });
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  await waitHealthy(`${apiUrl}/healthz`);
  const apiRss = new RssSampler(api.proc.pid!).start();
  rss.apiIdle = apiRss.sample();
  try {
    if (only.has("http")) {
      process.stderr.write("HTTP benchmarks…\n");
      await measured(acceptBench(apiUrl, buyers, hot.id, http));
      await purgeSettleQueue();
      await measured(refusalBench(apiUrl, buyers, gone.id, http));
      await measured(itemBench(apiUrl, hot.id, http));
    }

    const settled: Awaited<ReturnType<typeof fillQueue>> = [];
    if (only.has("settle")) {
      process.stderr.write("settle benchmarks…\n");
      for (const k of [1, 2, 4]) {
        const orders = await fillQueue(gate, publisher, buyers, settleItem.id, settleOrders);
        const row = await runSettle(db, env.vars, orders.map((o) => o.id), k, k === 1 ? profFlags("worker") : []);
        settled.push(...orders);
        rows.push(row);
        const base = await runSqlBaseline(cfg.databaseUrl, buyers, sqlItem.id, sqlItem.price, k, settleOrders);
        rows.push(base);
        process.stderr.write(`  ${row.name}: ${row.rate.toFixed(0)} orders/s; ${base.name}: ${base.rate.toFixed(0)} tx/s\n`);
        if (k === 1 || k === 4) {
          const viaPrisma = await runSqlBaseline(cfg.databaseUrl, buyers, sqlItem.id, sqlItem.price, k, settleOrders, "prisma");
          rows.push(viaPrisma);
          process.stderr.write(`  ${viaPrisma.name}: ${viaPrisma.rate.toFixed(0)} tx/s\n`);
        }
      }
    }
    if (only.has("http") && settled.length > 0) await measured(orderBench(apiUrl, settled, http));

    if (only.has("sale")) {
      process.stderr.write("sale…\n");
      for (const k of [1, 2, 4]) {
        const sale = await runSale({
          db, gate, jwt: cfg.jwt, env: env.vars, apiUrl, workers: k,
          buyers: Number(values["sale-buyers"]), units: Number(values["sale-units"]), concurrency: 128,
          consumers: settleConsumers,
        });
        sales.push(sale);
        process.stderr.write(`  sale, ${k} workers: ${sale.answeredPerSec.toFixed(0)} answers/s, p99 ${sale.answerP99.toFixed(0)} ms, ${sale.settledPerSec.toFixed(0)} settled/s, last settled ${sale.drainMs} ms after the last 202\n`);
      }
    }
  } finally {
    apiRss.stop();
    rss.api = apiRss.peak;
    await api.stop();
  }
} finally {
  await publisher.stop();
  redis.disconnect();
  await db.$disconnect();
  await env.dispose();
}

async function settleConsumers(): Promise<number> {
  const conn = await connectFirst(cfg.rabbitmqUrls);
  try {
    return (await (await conn.createChannel()).checkQueue(queueNames(cfg.queue.prefix, cfg.queue.type).settleQueue)).consumerCount;
  } finally {
    await conn.close();
  }
}

async function purgeSettleQueue(): Promise<void> {
  const conn = await connectFirst(cfg.rabbitmqUrls);
  try {
    await (await conn.createChannel()).purgeQueue(queueNames(cfg.queue.prefix, cfg.queue.type).settleQueue);
  } finally {
    await conn.close();
  }
}

const table = withRatios(rows);
const targets = judgeTargets(table, rss.api, http.connections, sales);
const machine = { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, loadBefore, loadAfter: os.loadavg() };
process.stdout.write(`\n${formatTable(table)}\n\n`);
if (sales.length) process.stdout.write(`${formatSale(sales)}\n\n`);
process.stdout.write(`API RSS: ${rss.apiIdle.toFixed(0)} MB idle, ${rss.api.toFixed(0)} MB peak under load (bare Express: ${rss.ceiling.toFixed(0)} MB)\n`);
process.stdout.write(`load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${machine.loadAfter.map((l) => l.toFixed(2)).join(" ")} (${machine.cpus} CPUs)\n`);
for (const t of targets) process.stdout.write(`${t.met ? "✓" : "✗"} ${t.name}: ${t.measured}\n`);
for (const name of values["cpu-prof"] ? ["ceiling", "api", "worker"] : []) {
  if (!existsSync(path.join(profDir, name))) continue; // that process did not run (--only)
  const file = mainThreadProfile(name);
  if (file) process.stdout.write(`\n${name}: ${path.relative(root, file)}\n${formatProfile(summariseProfile(file))}\n`);
}
writeFileSync(path.join(outDir, "bench.json"), `${JSON.stringify({ at: new Date().toISOString(), machine, http, settleOrders, rows: table, sales, rssMb: rss, targets }, null, 2)}\n`);
process.stdout.write(`\nwritten to load/out/bench.json\n`);
process.exit(0);
