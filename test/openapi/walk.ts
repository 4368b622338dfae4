// Helpers for the walk over every documented operation: each request is sent with call()
// (which checks the reply against the document by the request path) and checked again
// against the template the test names, so a path resolving to the wrong template shows.
import { expect } from "chai";
import { call, type Reply } from "../support/http";
import { expectMatchesSpec, seenResponses, spec, templateOf } from "../support/openapi";

/** The operations each walk file covers; together, every operation of the document. */
export const ACCOUNT_OPERATIONS = [
  "GET /healthz",
  "GET /readyz",
  "GET /openapi.json",
  "POST /users",
  "POST /auth/token",
  "GET /users/{id}/balance",
  "GET /users/{id}/ledger",
  "POST /users/{id}/balance/credit",
  "POST /users/{id}/balance/debit",
  "GET /metrics",
  "GET /metrics/prometheus",
  "GET /dashboard",
  "GET /dashboard/events",
  "GET /dashboard/{asset}",
];

export const SALE_OPERATIONS = [
  "GET /items",
  "POST /items",
  "GET /items/{id}",
  "POST /items/{id}/restock",
  "POST /orders",
  "GET /orders",
  "GET /orders/{id}",
  "GET /orders/{id}/status",
  "GET /orders/{id}/events",
  "POST /orders/{id}/refund",
];

type Opts = NonNullable<Parameters<typeof call>[3]> & { params?: Record<string, string>; query?: string };

/** `method template` with its params filled, answered `status` and matching the document. */
export async function hit(base: string, method: string, template: string, status: number, opts: Opts = {}): Promise<Reply> {
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => opts.params?.[name] ?? `{${name}}`) + (opts.query ? `?${opts.query}` : "");
  expect(templateOf(path), `${path} resolves to its template`).to.equal(template);
  const r = await call(base, method, path, opts);
  expect(r.status, `${method} ${path}: ${r.text.slice(0, 300)}`).to.equal(status);
  expectMatchesSpec(method, template, r);
  return r;
}

/** Reads a stream's first bytes (event streams stay open), then closes it. */
export async function firstBytesOf(base: string, path: string, token?: string): Promise<Reply> {
  const ctl = new AbortController();
  const res = await fetch(base + path, { headers: token ? { authorization: `Bearer ${token}` } : {}, signal: ctl.signal });
  let text = "";
  if (res.body && (res.headers.get("content-type") ?? "").startsWith("text/event-stream")) {
    const reader = res.body.getReader();
    const { value } = await reader.read();
    text = Buffer.from(value ?? []).toString("utf8");
    ctl.abort();
  } else text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* a stream or text */
  }
  return { status: res.status, headers: res.headers, body, text };
}

/** The `data` of each `event: <name>` in an event-stream text, parsed. */
export function eventsOf(text: string, name: string): unknown[] {
  return text
    .split("\n\n")
    .filter((block) => block.split("\n").includes(`event: ${name}`))
    .map((block) => JSON.parse(block.split("\n").find((l) => l.startsWith("data: "))!.slice(6)));
}

/** Every "METHOD template" the document describes. */
export function documentedOperations(): string[] {
  return Object.entries<Record<string, unknown>>(spec.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
}

/** Of `operations`, those with no 2xx reply checked against the document yet. */
export function unwalked(operations: string[]): string[] {
  const seen = [...seenResponses()];
  return operations.filter((op) => !seen.some((s) => s.startsWith(`${op} 2`)));
}
