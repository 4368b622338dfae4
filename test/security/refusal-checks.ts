// What every answer to a hostile or malformed request must look like (CONTRACT.md, "Conventions"):
// never a 5xx, every 4xx a problem+json with a contract code and a matching status, nothing
// internal in the text; and the sale's books untouched afterwards.
import { expect } from "chai";
import { ERROR_CODES } from "@flashsale/domain";
import type { Stack } from "../support/stack";
import { moneyOf } from "../support/fixtures";
import { findItem } from "@flashsale/db";

export interface Request {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: RequestInit["body"];
  /** "half" for a streamed body (fetch requires it). */
  duplex?: "half";
}

export interface Answer {
  status: number;
  type: string;
  headers: Headers;
  text: string;
  body: any;
}

// Stack frames, file positions, driver and SQL vocabulary: none may reach a client.
const LEAKS = [
  /\n\s+at\s/,
  /node_modules|\.tsx?:\d+|\.m?js:\d+/,
  /prisma|postgres|\bpg_|ioredis|amqp|rate-limiter-flexible/i,
  /\bselect\b[^"]{0,80}\bfrom\b|\binsert into\b|\bviolates\b|\brelation "|syntax error at/i,
  /\b(TypeError|RangeError|ReferenceError|SyntaxError)\b/,
];

/** The text carries no stack trace, file position, SQL or driver name. */
export function assertNoLeak(text: string, what = "response"): void {
  for (const leak of LEAKS) expect(leak.test(text), `${what} leaks ${leak}: ${text.slice(0, 300)}`).to.equal(false);
}

const tally = globalThis as { __fuzzTally?: { inputs: number; serverErrors: number } };

/** Inputs tried and 5xx seen, over every fuzz file of this run. */
export function fuzzTally(): { inputs: number; serverErrors: number } {
  return (tally.__fuzzTally ??= { inputs: 0, serverErrors: 0 });
}

/** Sends one request as given (raw body, raw headers) and reads the answer; an event stream is closed at once. */
export async function send(base: string, req: Request, timeoutMs = 10_000): Promise<Answer> {
  const res = await fetch(base + req.path, {
    method: req.method,
    headers: req.headers,
    body: req.body,
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
    ...(req.duplex ? { duplex: req.duplex } : {}),
  } as RequestInit);
  const type = res.headers.get("content-type") ?? "";
  let text = "";
  if (type.startsWith("text/event-stream")) await res.body?.cancel();
  else text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: kept as text */
  }
  return { status: res.status, type, headers: res.headers, text, body };
}

/** Asserts the contract's shape of an answer to input it does not like (or happens to accept). */
export function assertWellFormed(a: Answer, what: string): void {
  const ctx = `${what} -> ${a.status} ${a.text.slice(0, 300)}`;
  expect(a.status, ctx).to.be.below(500);
  if (a.status >= 400) {
    expect(a.type, ctx).to.match(/^application\/problem\+json/);
    expect(ERROR_CODES as readonly string[], ctx).to.include(a.body?.code);
    expect(a.body.status, ctx).to.equal(a.status);
    expect(a.body.title, ctx).to.be.a("string");
    expect(a.body.detail, ctx).to.be.a("string");
    assertNoLeak(a.text, what);
  } else {
    // Successful reads carry data other tests wrote (item names...); only stack frames are banned there.
    expect(/\n\s+at\s/.test(a.text), ctx).to.equal(false);
  }
}

/** Sends, counts, then asserts: the one call every fuzz property makes per input. */
export async function probe(base: string, req: Request, allowed?: number[]): Promise<Answer> {
  const t = fuzzTally();
  t.inputs++;
  const what = `${req.method} ${req.path.slice(0, 200)}`;
  const a = await send(base, req);
  // /readyz reports a slow dependency as 503 by design (a loaded machine, not the input).
  if (/^\/readyz(\?|$)/i.test(req.path) && a.status === 503 && a.body?.code === "UNAVAILABLE") return a;
  if (a.status >= 500) t.serverErrors++;
  assertWellFormed(a, what);
  if (allowed) expect(allowed, `${what} -> ${a.status} ${a.text.slice(0, 200)}`).to.include(a.status);
  return a;
}

/** What a hostile request must never change: an item's units (Redis and PostgreSQL) and a buyer's money and orders. */
export async function booksOf(s: Stack, itemId: string, buyerId: string) {
  const db = s.api.deps.db;
  const item = (await findItem(db, itemId))!;
  const money = await moneyOf(s, buyerId);
  return {
    redisRemaining: (await s.api.deps.gate.remaining([itemId])).get(itemId),
    pgRemaining: item.remaining,
    stock: item.stock,
    wallet: money.wallet("USD"),
    ledgerRows: money.ledger.length,
    orders: await db.order.count({ where: { userId: buyerId } }),
  };
}
