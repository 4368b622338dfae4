// Builds a scratch database with N settled orders (default 200,000), runs EXPLAIN ANALYZE on
// the exact query GET /orders runs for every filter combination, and writes the plans to
// docs/explain-order-history.md. The scratch database is dropped at the end.
//
//   npx tsx load/explain-order-history.ts [--orders 200000] [--out docs/explain-order-history.md] [--keep]
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDb, explainOrderHistory, orderHistory, type Db, type OrderFilter } from "@flashsale/db";
import { scratchEnv } from "../test/support/scratch-env";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values: args } = parseArgs({
  options: { orders: { type: "string", default: "200000" }, out: { type: "string", default: "docs/explain-order-history.md" }, keep: { type: "boolean", default: false } },
});
const total = Number(args.orders);

async function sql(url: URL, text: string) {
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    return await c.query(text);
  } finally {
    await c.end();
  }
}

// Up to 20,000 buyers (a few very busy ones), 250 items (a few hot ones, as in a flash sale),
// 90 days, 20% of orders with a second line; statuses as a sale ends up: mostly COMPLETED,
// some REJECTED, few REFUNDED or FAILED.
const FILL = `
INSERT INTO orders (id, user_id, status, reason, total, currency, created_at, started_at, completed_at, updated_at)
SELECT md5('o' || g)::uuid, md5('u' || floor(20000 * power(random(), 4))::int)::uuid,
  (CASE WHEN g % 100 < 85 THEN 'COMPLETED' WHEN g % 100 < 93 THEN 'REJECTED' WHEN g % 100 < 98 THEN 'REFUNDED' ELSE 'FAILED' END)::"OrderStatus",
  NULL, 2500, 'USD', at, at + interval '20 ms', at + interval '80 ms', now()
FROM (SELECT g, date_trunc('milliseconds', now() - random() * interval '90 days') AS at FROM generate_series(1, ${total}) g) t;
INSERT INTO order_lines (order_id, item_id, quantity, price)
SELECT md5('o' || g)::uuid, md5('i' || floor(200 * power(random(), 3))::int)::uuid, 1, 2500 FROM generate_series(1, ${total}) g;
INSERT INTO order_lines (order_id, item_id, quantity, price)
SELECT md5('o' || g)::uuid, md5('j' || (g % 50))::uuid, 1, 2500 FROM generate_series(1, ${total}) g WHERE g % 5 = 0;
ANALYZE orders; ANALYZE order_lines;`;

async function pick(db: Db) {
  const [busyUser] = await db.$queryRaw<{ id: string; n: bigint }[]>`SELECT user_id AS id, count(*) AS n FROM orders GROUP BY 1 ORDER BY 2 DESC LIMIT 1`;
  const [hotItem] = await db.$queryRaw<{ id: string; n: bigint }[]>`SELECT item_id AS id, count(*) AS n FROM order_lines GROUP BY 1 ORDER BY 2 DESC LIMIT 1`;
  const [coldItem] = await db.$queryRaw<{ id: string; n: bigint }[]>`SELECT item_id AS id, count(*) AS n FROM order_lines GROUP BY 1 ORDER BY 2 ASC LIMIT 1`;
  const [typicalUser] = await db.$queryRaw<{ id: string; n: bigint }[]>`
    SELECT user_id AS id, count(*) AS n FROM orders GROUP BY 1 HAVING count(*) BETWEEN 3 AND 10 ORDER BY 2 DESC LIMIT 1`;
  return { busyUser: busyUser!, typicalUser: typicalUser ?? busyUser!, hotItem: hotItem!, coldItem: coldItem! };
}

function cases(p: Awaited<ReturnType<typeof pick>>): [string, OrderFilter][] {
  const from = new Date(Date.now() - 30 * 86_400_000);
  const to = new Date(Date.now() - 7 * 86_400_000);
  const user = p.busyUser.id;
  const hot = p.hotItem.id;
  return [
    ["no filter (an operator's first page)", {}],
    ["from/to", { from, to }],
    ["status=REFUNDED (rare)", { status: "REFUNDED" }],
    ["status=COMPLETED + from/to", { status: "COMPLETED", from, to }],
    [`userId (the busiest buyer: ${p.busyUser.n} orders)`, { userId: user }],
    [`userId (a typical buyer: ${p.typicalUser.n} orders)`, { userId: p.typicalUser.id }],
    ["userId + status=REFUNDED", { userId: user, status: "REFUNDED" }],
    ["userId + status=COMPLETED + from/to", { userId: user, status: "COMPLETED", from, to }],
    ["itemId (the hottest item)", { itemId: hot }],
    ["itemId (the coldest item)", { itemId: p.coldItem.id }],
    ["itemId + status=REFUNDED", { itemId: hot, status: "REFUNDED" }],
    ["itemId + from/to", { itemId: hot, from, to }],
    ["itemId + userId", { itemId: hot, userId: user }],
    ["itemId + userId + status=COMPLETED", { itemId: hot, userId: user, status: "COMPLETED" }],
    ["itemId (the coldest) + userId (the busiest): the worst case", { itemId: p.coldItem.id, userId: user }],
    ["itemId + userId + status=COMPLETED + from/to", { itemId: hot, userId: user, status: "COMPLETED", from, to }],
  ];
}

async function main() {
  // flashsale_explain_<id>, migrated (test/support/scratch-env.ts, as `npm test` has).
  const env = await scratchEnv({ kind: "explain" });
  const scratch = new URL(env.vars.DATABASE_URL);
  const db = createDb(scratch.toString(), 2);
  try {
    const t0 = Date.now();
    await sql(scratch, FILL);
    const fillMs = Date.now() - t0;
    const p = await pick(db);
    const [{ orders, lines }] = (await sql(scratch, "SELECT (SELECT count(*) FROM orders) AS orders, (SELECT count(*) FROM order_lines) AS lines")).rows;
    const out: string[] = [
      "# EXPLAIN ANALYZE of GET /orders on " + Number(orders).toLocaleString("en") + " orders",
      "",
      `Generated by \`npx tsx load/explain-order-history.ts --orders ${total}\` (PostgreSQL ${(await sql(scratch, "SHOW server_version")).rows[0].server_version}) on ${new Date().toISOString().slice(0, 10)}.`,
      `Data: ${Number(orders).toLocaleString("en")} orders and ${Number(lines).toLocaleString("en")} order lines (filled in ${fillMs} ms, triggers on),`,
      `up to 20,000 buyers (the busiest has ${p.busyUser.n} orders), 250 items (the hottest in ${p.hotItem.n} orders, the coldest in ${p.coldItem.n}), over 90 days.`,
      "Each plan is the page query with `limit=50` (LIMIT 51: one more row tells whether a next page exists),",
      "exactly as `orderHistorySql` builds it; then the second page (a cursor) of the same filter.",
      "",
      "| filter | index used | buffers (page 1) | sort? | seq scan? | time (page 1) |",
      "| --- | --- | --- | --- | --- | --- |",
    ];
    const details: string[] = [];
    for (const [name, f] of cases(p)) {
      const plan = await explainOrderHistory(db, f, 50, undefined, { analyze: true });
      const page = await orderHistory(db, f, 50);
      const second = page.next ? await explainOrderHistory(db, f, 50, page.next, { analyze: true }) : ["(one page only)"];
      const text = plan.join("\n");
      const indexes = [...new Set([...text.matchAll(/(?:Scan using|Bitmap Index Scan on) (\S+)/g)].map((m) => m[1]))].join(", ");
      const time = /Execution Time: ([\d.]+ ms)/.exec(text)?.[1] ?? "?";
      const buffers = /Buffers: ([^\n]+)/.exec(text)?.[1] ?? "?";
      out.push(`| ${name} | ${indexes} | ${buffers} | ${/Sort/.test(text) ? "**yes**" : "no"} | ${/Seq Scan/.test(text) ? "**yes**" : "no"} | ${time} |`);
      details.push(`### ${name}`, "", "```", text, "```", "", "Second page (after the cursor):", "", "```", second.join("\n"), "```", "");
    }
    out.push("", "## Plans", "", ...details);
    writeFileSync(path.join(root, args.out!), out.join("\n"));
    console.log(`wrote ${args.out}`);
  } finally {
    await db.$disconnect();
    if (args.keep) console.log(`kept database ${env.dbName}`);
    else await env.dispose();
  }
}

await main();
