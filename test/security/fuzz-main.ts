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
import { oddText, queryString } from "./hostile-input.ts";

const { values } = parseArgs({ options: { seed: { type: "string", default: "14" }, runs: { type: "string", default: "100000" } } });
const seed = Number(values.seed);
const runs = Number(values.runs);
const env = await isolatedEnv();
const cfg = { ...env.cfg, port: 0, logLevel: "silent" as const };
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
const date = fc.oneof(oddText, fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom("2024-01-01", "0", "yesterday", "2024-01-01T24:00:00Z", "%00", "9999-12-31T23:59:59-01:00", "0001-01-01T00:00:00+01:00"));
const request = fc.oneof(
  fc.oneof(fc.string(), fc.jsonValue().map((v) => JSON.stringify(v))).map((p) => ({ path: "/orders", token: signed(p) })),
  fc.tuple(fc.constantFrom("from", "to"), date).map(([k, v]) => ({ path: `/orders?${k}=${pct(v)}`, token: operator })),
  queryString.map((q) => ({ path: `/orders?${q}`, token: operator })),
);

const books = async () => JSON.stringify(await api.deps.db.$queryRawUnsafe(`SELECT (SELECT count(*) FROM orders)::int o, (SELECT coalesce(sum(remaining),0) FROM items)::int r, (SELECT count(*) FROM ledger_entries)::int l`));
const before = await books();
const t0 = Date.now();
let inputs = 0, serverErrors = 0, notProblem = 0;
const samples = fc.sample(request, { seed, numRuns: runs });
const POOL = 32;
await Promise.all(Array.from({ length: POOL }, async (_, w) => {
  for (let i = w; i < samples.length; i += POOL) {
    const r = samples[i]!;
    inputs++;
    const res = await fetch(base + r.path, { headers: { authorization: `Bearer ${r.token}` } }).catch(() => null);
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
