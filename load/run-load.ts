// `npm run load [-- --profile full|short|burst --target http://127.0.0.1:3000]`: runs an
// artillery scenario against a running stack (after `npm run fixtures`), waits until the
// queue drained and every accepted order settled, then checks the invariants. Exits 1 on a
// violation (or when the run could not drain).
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { config } from "@flashsale/config";
import { createDb } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import { gateStatuses, lostOrders, readOutcomes, saleSummary, verifyInvariants } from "./verify/index.ts";
import { printReport } from "./verify/print";
import { ensureArtillery, loadDir, runArtillery, summariseReport } from "./run/artillery";
import { lastSettledAt, waitForDrain } from "./run/drain";

const PROFILES = { full: "flash-sale.yml", short: "flash-sale-short.yml", burst: "burst.yml" } as const;

const { values } = parseArgs({
  options: {
    profile: { type: "string", default: "full" },
    target: { type: "string", default: process.env.LOAD_TARGET ?? "http://127.0.0.1:3000" },
    "item-file": { type: "string", default: path.join(loadDir, "out/item.json") },
    "drain-timeout": { type: "string", default: "120" },
  },
});
const profile = values.profile as keyof typeof PROFILES;
if (!(profile in PROFILES)) {
  process.stderr.write(`--profile must be one of ${Object.keys(PROFILES).join(", ")}\n`);
  process.exit(2);
}
if (!existsSync(values["item-file"]!)) {
  process.stderr.write(`${values["item-file"]} not found: run \`npm run fixtures\` first\n`);
  process.exit(2);
}
const fixture = JSON.parse(readFileSync(values["item-file"]!, "utf8")) as { itemId: string; csv: string; users: number };
const target = new URL(values.target!);
if (!["127.0.0.1", "localhost", "[::1]"].includes(target.hostname)) {
  process.stderr.write("load runs target this machine only (127.0.0.1)\n");
  process.exit(2);
}

ensureArtillery();
const outcomesFile = path.join(loadDir, "out/outcomes.csv");
const reportFile = path.join(loadDir, `out/report-${profile}.json`);
writeFileSync(outcomesFile, "");
const code = await runArtillery({
  script: path.join(loadDir, PROFILES[profile]),
  target: target.origin,
  itemId: fixture.itemId,
  csv: fixture.csv,
  outcomesFile,
  reportFile,
  phases: profile === "burst" ? [{ name: "burst", duration: 1, arrivalCount: fixture.users }] : undefined,
});
if (code !== 0) process.stderr.write(`artillery exited with ${code}\n`);

const cfg = config();
const db = createDb(cfg.databaseUrl, 4);
const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 1 });
redis.on("error", () => undefined);
let failed = true;
try {
  const outcomes = readOutcomes(outcomesFile);
  const lastAccepted = Math.max(0, ...readFileSync(outcomesFile, "utf8").split("\n").filter((l) => l.startsWith("202,")).map((l) => Number(l.split(",")[4])));
  const drain = await waitForDrain(cfg, db, outcomes.accepted, Number(values["drain-timeout"]) * 1000);
  const settledAt = await lastSettledAt(db, outcomes.accepted);
  const violations = await verifyInvariants(db, { acceptedIds: outcomes.accepted });
  const lost = await lostOrders(db, outcomes.accepted);
  const lostInRedis = await gateStatuses(new ReservationGate(redis, cfg.redisPrefix), lost).catch(() => ({ "Redis unreachable": lost.length }));
  const a = summariseReport(reportFile);
  const lat = a.latency ? `p50 ${a.latency.p50} ms, p95 ${a.latency.p95} ms, p99 ${a.latency.p99} ms, max ${a.latency.max} ms` : "no latencies";
  process.stdout.write(`\n── flashsale ${profile} run against ${target.origin}\n`);
  process.stdout.write(`artillery ${a.requests} requests; codes ${JSON.stringify(a.codes)}; errors ${JSON.stringify(a.errors)}; ${lat}\n`);
  process.stdout.write(
    `drain     ${drain.drained ? "drained" : `NOT drained (queue ${drain.depth}, unsettled ${drain.unsettled})`} after ${drain.waitedMs} ms; ` +
      `last order settled ${settledAt && lastAccepted ? `${settledAt - lastAccepted} ms after the last 202` : "n/a"}\n`,
  );
  process.stdout.write(printReport(await saleSummary(db, fixture.itemId), outcomes, violations, lostInRedis));
  failed = violations.length > 0 || !drain.drained;
} finally {
  redis.disconnect();
  await db.$disconnect();
}
process.exit(failed ? 1 : 0);
