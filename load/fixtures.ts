// `npm run fixtures -- --users N --stock K [--price P --balance B --max-per-user M --currency USD --out load/out/buyers.csv]`
// Creates N funded buyers and one live item for the load runs; writes the buyers' tokens
// to a CSV and the item to load/out/item.json (next to the CSV).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { config } from "@flashsale/config";
import { createDb, gateSnapshot } from "@flashsale/db";
import { connectRedis, ReservationGate } from "@flashsale/reservations";
import { buyersCsv, createBuyers } from "./fixtures/buyers";
import { createSaleItem } from "./fixtures/sale-item";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "5000" },
    stock: { type: "string" },
    price: { type: "string", default: "2500" },
    balance: { type: "string", default: "100000" },
    "max-per-user": { type: "string", default: "1" },
    currency: { type: "string", default: "USD" },
    out: { type: "string", default: "load/out/buyers.csv" },
  },
});

function int(name: string, v: string | undefined, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be an integer ≥ ${min}\n`);
    process.exit(2);
  }
  return n;
}

const cfg = config();
const users = int("users", values.users, 1);
// The earlier system's default: a random stock between 1 and 500.
const stock = values.stock === undefined ? 1 + Math.floor(Math.random() * 500) : int("stock", values.stock, 0);
const price = int("price", values.price, 0);
const balance = int("balance", values.balance, 0);
const maxPerUser = int("max-per-user", values["max-per-user"], 1);
const currency = values.currency!.toUpperCase();

const db = createDb(cfg.databaseUrl, 4);
const redis = connectRedis(cfg.redis, { maxRetriesPerRequest: 2 });
try {
  const t0 = performance.now();
  const buyers = await createBuyers(db, cfg.jwt, { count: users, balance, currency });
  const item = await createSaleItem(db, new ReservationGate(redis, cfg.redisPrefix, { snapshot: (ids) => gateSnapshot(db, ids) }), { stock, price, currency, maxPerUser });
  const csv = path.resolve(values.out!);
  mkdirSync(path.dirname(csv), { recursive: true });
  writeFileSync(csv, buyersCsv(buyers));
  const itemFile = path.join(path.dirname(csv), "item.json");
  const summary = { itemId: item.id, stock, price, currency, maxPerUser, users, balance, csv, createdAt: new Date().toISOString() };
  writeFileSync(itemFile, `${JSON.stringify(summary, null, 2)}\n`);
  process.stderr.write(`${users} buyers (${balance} ${currency} each) and an item of ${stock} units in ${Math.round(performance.now() - t0)} ms; tokens in ${csv}, item in ${itemFile}\n`);
  process.stdout.write(`${item.id}\n`);
} finally {
  redis.disconnect();
  await db.$disconnect();
}
