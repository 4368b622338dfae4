// `npm run verify [-- --item <id> --outcomes load/out/outcomes.csv]`: checks the CONTRACT's
// invariants against PostgreSQL (and Redis for accepted orders without a row), prints the
// sale's summary and every violation, exits 1 on any. Defaults to the last fixtures' item.
import { existsSync, readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { config } from "@flashsale/config";
import { createDb } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import { gateStatuses, lostOrders, readOutcomes, saleSummary, verifyInvariants } from "./verify/index.ts";
import { printReport } from "./verify/print";

const { values } = parseArgs({
  options: {
    item: { type: "string" },
    outcomes: { type: "string" },
    "item-file": { type: "string", default: "load/out/item.json" },
  },
});

const itemId = values.item ?? (existsSync(values["item-file"]!) ? (JSON.parse(readFileSync(values["item-file"]!, "utf8")).itemId as string) : undefined);
const outcomesFile = values.outcomes ?? (existsSync("load/out/outcomes.csv") ? "load/out/outcomes.csv" : undefined);

const cfg = config();
const db = createDb(cfg.databaseUrl, 4);
const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 1 });
redis.on("error", () => undefined);
let failed = false;
try {
  const outcomes = outcomesFile ? readOutcomes(outcomesFile) : undefined;
  const violations = await verifyInvariants(db, { acceptedIds: outcomes?.accepted });
  const lost = outcomes ? await lostOrders(db, outcomes.accepted) : undefined;
  const lostInRedis = lost ? await gateStatuses(new ReservationGate(redis, cfg.redisPrefix), lost).catch(() => ({ "Redis unreachable": lost.length })) : undefined;
  process.stdout.write(printReport(await saleSummary(db, itemId), outcomes, violations, lostInRedis));
  failed = violations.length > 0;
} finally {
  redis.disconnect();
  await db.$disconnect();
}
process.exit(failed ? 1 : 0);
