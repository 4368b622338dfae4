import { randomUUID } from "node:crypto";
import { framingCases, pathIdCases, refusalSuite, type Case, type Ctx, type Endpoint } from "../support/refusals";

const line = (c: Ctx, over: Record<string, unknown> = {}) => ({ itemId: c.item.id, quantity: 1, ...over });
const lines = (...ls: unknown[]) => ({ body: { items: ls } });
const post: Endpoint = { method: "POST", path: () => "/orders", as: "buyer", valid: (c) => ({ items: [line(c)] }) };

const quantities: [string, unknown][] = [
  ["zero", 0],
  ["negative", -1],
  ["fractional", 1.5],
  ["tiny", Number.MIN_VALUE],
  ["huge", 1e9],
  ["above 2^53", 2 ** 53 + 2],
  ["-0 written as a float", -0.0],
  ["a numeric string", "1"],
  ["an empty string", ""],
  ["null", null],
  ["true", true],
  ["an array", [1]],
  ["an object", { value: 1 }],
];

const itemIds: [string, (c: Ctx) => unknown][] = [
  ["not a UUID", () => "sneaker-1"],
  ["a number", () => 42],
  ["null", () => null],
  ["empty", () => ""],
  ["an SQL fragment", () => "' OR 1=1 --"],
  ["a UUID with a suffix", (c) => `${c.item.id}-x`],
  ["an array of the id", (c) => [c.item.id]],
  ["a Redis key pattern", () => "*"],
  ["a NUL inside a UUID", (c) => `${c.item.id.slice(0, 10)}\u0000${c.item.id.slice(11)}`],
];

const cases: Case[] = [
  ...framingCases(post),
  ["items is missing", 400, "VALIDATION_FAILED", (c) => ({ body: { lines: [line(c)] } })],
  ["items is null", 400, "VALIDATION_FAILED", () => ({ body: { items: null } })],
  ["items is an object", 400, "VALIDATION_FAILED", (c) => ({ body: { items: line(c) } })],
  ["items is a string", 400, "VALIDATION_FAILED", () => ({ body: { items: "all" } })],
  ["items is empty", 400, "VALIDATION_FAILED", () => lines()],
  ["items holds null", 400, "VALIDATION_FAILED", () => lines(null)],
  ["items holds an empty object", 400, "VALIDATION_FAILED", () => lines({})],
  ["a line has no quantity", 400, "VALIDATION_FAILED", (c) => lines({ itemId: c.item.id })],
  ["a line has no itemId", 400, "VALIDATION_FAILED", () => lines({ quantity: 1 })],
  ["an item appears on two lines", 400, "VALIDATION_FAILED", (c) => lines(line(c), line(c))],
  ["an item appears twice in two letter cases", 400, "VALIDATION_FAILED", (c) => lines(line(c), line(c, { itemId: c.item.id.toUpperCase() }))],
  ["there are 21 lines", 400, "VALIDATION_FAILED", (c) => lines(line(c), ...Array.from({ length: 20 }, () => ({ itemId: randomUUID(), quantity: 1 })))],
  ["one good line sits beside a bad one", 400, "VALIDATION_FAILED", (c) => lines(line(c), { itemId: randomUUID(), quantity: 0 })],
  ...quantities.map(([what, quantity]): Case => [`the quantity is ${what}`, 400, "VALIDATION_FAILED", (c) => lines(line(c, { quantity }))]),
  ["the quantity is 1e400 (Infinity)", 400, "VALIDATION_FAILED", (c) => ({ raw: `{"items":[{"itemId":"${c.item.id}","quantity":1e400}]}`, headers: { "content-type": "application/json" } })],
  ...itemIds.map(([what, itemId]): Case => [`the itemId is ${what}`, 400, "VALIDATION_FAILED", (c) => lines(line(c, { itemId: itemId(c) }))]),
  ["the itemId is an unknown UUID", 404, "ITEM_NOT_FOUND", (c) => lines(line(c, { itemId: randomUUID() }))],
  ["the Idempotency-Key is 256 characters", 400, "VALIDATION_FAILED", (c) => ({ body: post.valid!(c), headers: { "idempotency-key": "k".repeat(256) } })],
  ["the Idempotency-Key is empty", 400, "VALIDATION_FAILED", (c) => ({ body: post.valid!(c), headers: { "idempotency-key": "" } })],
  ["the order is posted to a path that is no endpoint", 404, "NOT_FOUND", (c) => ({ path: `/orders/for/${c.buyer.id}`, body: post.valid!(c) })],
];

refusalSuite("bad input: POST /orders", post, cases);

for (const suffix of ["", "/status"]) {
  const get: Endpoint = { method: "GET", path: () => `/orders/${randomUUID()}${suffix}`, as: "buyer" };
  refusalSuite(`bad input: GET /orders/:id${suffix}`, get, [
    ...pathIdCases(get, (id) => `/orders/${id}${suffix}`, "ORDER_NOT_FOUND"),
    ["an operator asks for an order that does not exist", 404, "ORDER_NOT_FOUND", () => ({ as: "operator" })],
  ]);
}
