// `npm run fuzz -- [--seed N] [--runs N]`: the long hostile-input run (issue 14). An API in this
// process on a database, Redis prefix and queue names of its own (load/bench/isolated-env.ts),
// fed N generated requests (bad token payloads, odd dates, hostile queries); prints inputs
// tried, 5xx seen, non-problem 4xx seen and whether the books changed; exits 1 on any.
import { createHmac, randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import fc from "fast-check";
import { pino } from "pino";
import { start, issueToken } from "@flashsale/api";
import { isolatedEnv } from "../../load/bench/isolated-env.ts";
import { creditWallet } from "@flashsale/db";
import { anyBodyText, contentType, notACount, nearly, oddText, queryString, segment } from "./hostile-input.ts";

const { values } = parseArgs({ options: { seed: { type: "string", default: "14" }, runs: { type: "string", default: "100000" } } });
const seed = Number(values.seed);
const runs = Number(values.runs);
const env = await isolatedEnv();
// No per-user limit: the one buyer would otherwise be refused 429 before its body is read.
const cfg = { ...env.cfg, port: 0, logLevel: "silent" as const, rateLimit: { ...env.cfg.rateLimit, userPerSec: 0 } };
const api = await start(cfg, pino({ level: "silent" }));
const base = `http://127.0.0.1:${api.port}`;
const operator = issueToken(cfg.jwt, { id: randomUUID(), role: "operator" }).accessToken;
// Every byte escaped: encodeURIComponent throws on a lone surrogate.
const pct = (s: string) => [...Buffer.from(s)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
const b64 = (s: string) => Buffer.from(s).toString("base64url");
const signed = (payload: string) => {
  const body = `${b64(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${b64(payload)}`;
  return `${body}.${createHmac("sha256", cfg.jwt.secret!).update(body).digest("base64url")}`;
};
// Books that must not move: one live item with units, one funded buyer (its token is valid).
const buyerId = randomUUID();
await api.deps.db.user.create({ data: { id: buyerId, email: `fuzz-${buyerId}@test.flashsale`, role: "buyer" } });
await api.deps.db.$transaction((tx) => creditWallet(tx, buyerId, "USD", 1_000_000, "CREDIT"));
const buyer = issueToken(cfg.jwt, { id: buyerId, role: "buyer" }).accessToken;
const made = await fetch(`${base}/items`, { method: "POST", headers: { authorization: `Bearer ${operator}`, "content-type": "application/json" }, body: JSON.stringify({ name: "fuzz: guarded", price: 100, currency: "USD", stock: 5 }) });
const itemId = ((await made.json()) as { id: string }).id;
const date = fc.oneof(oddText, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom("2024-01-01", "0", "yesterday", "2024-01-01T24:00:00Z", "%00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"));
const request = fc.oneof(
  fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))).map((p) => ({ path: "/orders", token: signed(p) })),
  fc.tuple(fc.constantFrom("from", "to"), date).map(([k, v]) => ({ path: `/orders?${k}=${pct(v)}`, token: operator })),
  queryString.map((q) => ({ path: `/orders?${q}`, token: operator })),
  // Bodies by a valid buyer: anything at all, or an order of the guarded item with a hostile quantity.
  fc.tuple(anyBodyText, contentType).map(([body, type]) => ({ path: "/orders", token: buyer, method: "POST", body, type })),
  notACount.map((quantity) => ({ path: "/orders", token: buyer, method: "POST", body: JSON.stringify({ items: [{ itemId, quantity }] }), type: "application/json" })),
  // Items with odd dates and fields (an operator may create items: only the guarded one is watched).
  nearly({ name: fc.constant("fuzz"), price: fc.constant(1), currency: fc.constant("USD"), stock: fc.constant(1), startsAt: date, endsAt: date }).map((b) => ({ path: "/items", token: operator, method: "POST", body: JSON.stringify(b), type: "application/json" })),
  // Odd ids and paths, with and without a token.
  fc.tuple(fc.constantFrom("/orders/", "/items/", "/users/", "/orders/x/events/"), segment, fc.boolean()).map(([p, seg, auth]) => ({ path: `${p}${seg}`, token: auth ? buyer : "" })),
);

const books = async () =>
  JSON.stringify([
    await api.deps.db.$queryRawUnsafe(`SELECT (SELECT count(*) FROM orders)::int o, (SELECT count(*) FROM ledger_entries)::int l, (SELECT coalesce(sum(amount), 0)::text FROM wallets) w`),
    await api.deps.db.$queryRawUnsafe(`SELECT stock, item_remaining(id) AS remaining FROM items WHERE id = $1::uuid`, itemId),
    [...(await api.deps.gate.remaining([itemId])).values()],
    await api.deps.redis.hgetall(api.deps.gate.keys.itemHeld(itemId)),
  ]);
const before = await books();
const t0 = Date.now();
let inputs = 0, serverErrors = 0, notProblem = 0;
const samples = fc.sample(request, { seed, numRuns: runs });
const POOL = 32;
await Promise.all(Array.from({ length: POOL }, async (_, w) => {
  for (let i = w; i < samples.length; i += POOL) {
    const r = samples[i]!;
    inputs++;
    const headers: Record<string, string> = r.token ? { authorization: `Bearer ${r.token}` } : {};
    if ("type" in r && r.type) headers["content-type"] = r.type;
    const res = await fetch(base + r.path, { method: "method" in r ? r.method : "GET", headers, body: "body" in r ? r.body : undefined }).catch(() => null);
    if (!res) { serverErrors++; continue; }
    const type = res.headers.get("content-type") ?? "";
    await res.arrayBuffer();
    if (res.status >= 500) serverErrors++;
    else if (res.status >= 400 && !type.startsWith("application/problem+json")) notProblem++;
  }
}));
const changed = (await books()) !== before;
console.log(`fuzz seed ${seed}: ${inputs} inputs, ${serverErrors} 5xx (or no answer), ${notProblem} non-problem 4xx, state ${changed ? "CHANGED" : "unchanged"}, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
await api.stop();
await env.dispose();
process.exit(serverErrors || notProblem || changed ? 1 : 0);
