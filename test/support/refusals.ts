import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import { stack } from "./hooks";
import { call, type Reply } from "./http";
import { makeItem } from "./fixtures";
import { expectProblem } from "./problems";
import { saleState } from "./sale-state";
import { makeBuyer, type Buyer, type Stack } from "./stack";

/** What a refusal case may use: a live item with units and a funded buyer, fresh per case. */
export interface Ctx {
  s: Stack;
  item: { id: string };
  buyer: Buyer;
}

export interface Req {
  method?: string;
  path?: string;
  as?: "buyer" | "operator" | "none";
  body?: unknown;
  raw?: string | Uint8Array;
  headers?: Record<string, string>;
}

/** [when, status, code, request]: a request the endpoint must refuse with that status and code. */
export type Case = [string, number, string, (c: Ctx) => Req];

export interface Endpoint {
  method: string;
  path: (c: Ctx) => string;
  as: "buyer" | "operator" | "none";
  /** A body the endpoint would accept (for cases that break only the framing around it). */
  valid?: (c: Ctx) => unknown;
}

const json = { "content-type": "application/json" };

/** Bodies every JSON endpoint refuses the same way, whatever its fields. */
export function framingCases(e: Endpoint): Case[] {
  const valid = (c: Ctx) => JSON.stringify(e.valid!(c));
  return [
    ["the body is truncated JSON", 400, "VALIDATION_FAILED", () => ({ raw: '{"a":', headers: json })],
    ["the body is JSON with a trailing comma", 400, "VALIDATION_FAILED", () => ({ raw: '{"a":1,}', headers: json })],
    ["the body uses single quotes", 400, "VALIDATION_FAILED", () => ({ raw: "{'a':1}", headers: json })],
    ["the body is not JSON at all", 400, "VALIDATION_FAILED", () => ({ raw: "hello", headers: json })],
    ["the body is whitespace", 400, "VALIDATION_FAILED", () => ({ raw: "   ", headers: json })],
    ["the body is JSON null", 400, "VALIDATION_FAILED", () => ({ raw: "null", headers: json })],
    ["the body is an array", 400, "VALIDATION_FAILED", (c) => ({ body: [e.valid!(c)] })],
    ["the body is a string", 400, "VALIDATION_FAILED", () => ({ body: "items" })],
    ["the body is a number", 400, "VALIDATION_FAILED", () => ({ body: 42 })],
    ["the body is true", 400, "VALIDATION_FAILED", () => ({ body: true })],
    ["the body is an empty object", 400, "VALIDATION_FAILED", () => ({ body: {} })],
    ["there is no body", 400, "VALIDATION_FAILED", () => ({})],
    ["the body is 1e400", 400, "VALIDATION_FAILED", () => ({ raw: "1e400", headers: json })],
    ["the body nests 100000 arrays", 400, "VALIDATION_FAILED", () => ({ raw: "[".repeat(100_000) + "]".repeat(100_000), headers: json })],
    ["the body is over 1 MB", 413, "PAYLOAD_TOO_LARGE", (c) => ({ raw: JSON.stringify({ ...(e.valid!(c) as object), pad: "x".repeat(1_100_000) }), headers: json })],
    ["a valid body is sent as text/plain", 415, "UNSUPPORTED_MEDIA_TYPE", (c) => ({ raw: valid(c), headers: { "content-type": "text/plain" } })],
    ["a valid body is sent without a content type", 415, "UNSUPPORTED_MEDIA_TYPE", (c) => ({ raw: valid(c), headers: { "content-type": "" } })],
    ["a valid body is sent form-encoded", 415, "UNSUPPORTED_MEDIA_TYPE", () => ({ raw: "quantity=1", headers: { "content-type": "application/x-www-form-urlencoded" } })],
    ["a valid body is sent as multipart", 415, "UNSUPPORTED_MEDIA_TYPE", (c) => ({ raw: valid(c), headers: { "content-type": "multipart/form-data; boundary=x" } })],
    ["a valid body claims charset latin1", 415, "UNSUPPORTED_MEDIA_TYPE", (c) => ({ raw: valid(c), headers: { "content-type": "application/json; charset=latin1" } })],
    ["a valid body claims an unknown content encoding", 415, "UNSUPPORTED_MEDIA_TYPE", (c) => ({ raw: valid(c), headers: { ...json, "content-encoding": "snappy" } })],
    ["the body claims gzip but is not", 400, "VALIDATION_FAILED", (c) => ({ raw: valid(c), headers: { ...json, "content-encoding": "gzip" } })],
    ["a gzipped body inflates past 1 MB", 413, "PAYLOAD_TOO_LARGE", () => ({ raw: gzipSync(JSON.stringify({ pad: "x".repeat(2_000_000) })), headers: { ...json, "content-encoding": "gzip" } })],
  ];
}

/** Ids in a path that are no UUID, or no UUID of anything: 400, and 404 with `missing`. */
export function pathIdCases(e: Endpoint, at: (id: string) => string, missing: string): Case[] {
  const bad: [string, string][] = [
    ["a word", "sneaker"],
    ["a number", "42"],
    ["a UUID with a non-hex digit", "00000000-0000-0000-0000-00000000000g"],
    ["a UUID with a suffix", `${randomUUID()}x`],
    ["a UUID without dashes", randomUUID().replace(/-/g, "")],
    ["an SQL fragment", "1'%20OR%20'1'%3D'1"],
    ["an escaped path traversal", "..%2F..%2Fetc%2Fpasswd"],
    ["a malformed URL escape", "%E0%A4%A"],
    ["a lone percent sign", "%"],
    ["an escaped NUL", "%00"],
    ["4000 characters", "a".repeat(4000)],
  ];
  return [
    ...bad.map(([what, id]): Case => [`the id in the path is ${what}`, 400, "VALIDATION_FAILED", (c) => ({ path: at(id), body: e.valid?.(c) })]),
    ["the id in the path is an unknown UUID", 404, missing, (c) => ({ path: at(randomUUID()), body: e.valid?.(c) })],
  ];
}

/** Like call(), but a raw body may be bytes (a gzip stream is not valid UTF-8 text). */
async function send(base: string, method: string, path: string, token: string | undefined, req: Req): Promise<Reply> {
  if (!(req.raw instanceof Uint8Array)) return call(base, method, path, { token, body: req.body, raw: req.raw, headers: req.headers });
  const headers = { ...req.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(base + path, { method, headers, body: req.raw as Uint8Array<ArrayBuffer> });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON: expectProblem says so */
  }
  return { status: res.status, headers: res.headers, text, body };
}

/** One test per case: a fresh item and buyer, the refusal as a contract problem, and nothing changed anywhere. */
export function refusalSuite(title: string, e: Endpoint, cases: Case[]): void {
  describe(title, () => {
    for (const [when, status, code, make] of cases) {
      it(`when ${when}, then ${status} ${code} and nothing is reserved, queued or charged`, async () => {
        const s = stack();
        const [item, buyer] = await Promise.all([makeItem(s, { stock: 5, maxPerUser: 5 }), makeBuyer(s, { USD: 50_000 })]);
        const c: Ctx = { s, item, buyer };
        const before = await saleState(s, [c.buyer.id], [c.item.id]);
        const req = make(c);
        const as = req.as ?? e.as;
        const token = as === "buyer" ? c.buyer.token : as === "operator" ? s.operator : undefined;
        const r = await send(s.url, req.method ?? e.method, req.path ?? e.path(c), token, req);
        expectProblem(r, status, code);
        expect(await saleState(s, [c.buyer.id], [c.item.id])).to.deep.equal(before);
      });
    }
  });
}
