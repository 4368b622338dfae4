import { randomUUID } from "node:crypto";
import { framingCases, pathIdCases, refusalSuite, type Case, type Ctx, type Endpoint, type Req } from "../support/refusals";

// POST /auth/token: public, so framing and shape decide before the credentials do.
const login: Endpoint = { method: "POST", path: () => "/auth/token", as: "none", valid: () => ({ email: `who-${randomUUID()}@test.flashsale`, password: "a-password" }) };
refusalSuite("bad input: POST /auth/token", login, [
  ...framingCases(login),
  ["the password is missing", 400, "VALIDATION_FAILED", () => ({ body: { email: "a@b.co" } })],
  ["the email is missing", 400, "VALIDATION_FAILED", () => ({ body: { password: "a-password" } })],
  ["the email is a number", 400, "VALIDATION_FAILED", () => ({ body: { email: 5, password: "a-password" } })],
  ["the password is an object", 400, "VALIDATION_FAILED", () => ({ body: { email: "a@b.co", password: { $ne: "" } } })],
  ["the email is an array", 400, "VALIDATION_FAILED", () => ({ body: { email: ["a@b.co"], password: "a-password" } })],
  ["the email is 255 characters", 400, "VALIDATION_FAILED", () => ({ body: { email: `${"a".repeat(250)}@b.co`, password: "a-password" } })],
  ["the password is 201 characters", 400, "VALIDATION_FAILED", () => ({ body: { email: "a@b.co", password: "p".repeat(201) } })],
  ["the email holds a NUL", 400, "VALIDATION_FAILED", () => ({ body: { email: "a\u0000@b.co", password: "a-password" } })],
  ["the email is an SQL fragment of an unknown user", 401, "INVALID_CREDENTIALS", () => ({ body: { email: "' OR '1'='1", password: "' OR '1'='1" } })],
]);

// Paged lists: limit 1..200 and an opaque cursor this API issued.
const cursor = (v: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString("base64url"));
const pageQueries: [string, string][] = [
  ["limit=0", "limit=0"],
  ["limit=-1", "limit=-1"],
  ["limit=201", "limit=201"],
  ["limit=1.5", "limit=1.5"],
  ["limit=abc", "limit=abc"],
  ["limit empty", "limit="],
  ["limit given twice", "limit=1&limit=2"],
  ["limit=1e400", "limit=1e400"],
  ["a cursor that is not base64 JSON", "cursor=%25%25%25"],
  ["a cursor of an object", `cursor=${cursor({})}`],
  ["a cursor with a bad id", `cursor=${cursor(["2024-01-01T00:00:00.000Z", "------------------------------------"])}`],
  ["a cursor with a bad time", `cursor=${cursor(["yesterday", randomUUID()])}`],
  ["a cursor in year 0", `cursor=${cursor(["0000-01-01T00:00:00.000Z", randomUUID()])}`],
  ["a cursor at the edge of JavaScript time", `cursor=${cursor([-8.64e15, randomUUID()])}`],
  ["a cursor of 501 characters", `cursor=${"a".repeat(501)}`],
  ["a cursor given twice", `cursor=${cursor(["2024-01-01T00:00:00.000Z", randomUUID()])}&cursor=x`],
];
const pageCases = (path: (c: Ctx) => string, as?: Req["as"]): Case[] =>
  pageQueries.map(([what, q]): Case => [`the query has ${what}`, 400, "VALIDATION_FAILED", (c) => ({ path: `${path(c)}?${q}`, as })]);

refusalSuite("bad input: GET /items", { method: "GET", path: () => "/items", as: "none" }, pageCases(() => "/items"));

const item: Endpoint = { method: "GET", path: (c) => `/items/${c.item.id}`, as: "none" };
refusalSuite("bad input: GET /items/:id", item, pathIdCases(item, (id) => `/items/${id}`, "ITEM_NOT_FOUND"));

for (const what of ["balance", "ledger"]) {
  const read: Endpoint = { method: "GET", path: (c) => `/users/${c.buyer.id}/${what}`, as: "operator" };
  refusalSuite(`bad input: GET /users/:id/${what}`, read, [
    ...pathIdCases(read, (id) => `/users/${id}/${what}`, "NOT_FOUND"),
    ["a buyer asks for another user's", 404, "NOT_FOUND", () => ({ as: "buyer", path: `/users/${randomUUID()}/${what}` })],
    ...(what === "ledger" ? pageCases((c) => `/users/${c.buyer.id}/ledger`, "buyer") : []),
  ]);
}

// Paths and methods that are no endpoint of the contract.
refusalSuite("bad input: no such endpoint", { method: "GET", path: () => "/nothing-here", as: "buyer" }, [
  ["the path is unknown", 404, "NOT_FOUND", () => ({})],
  ["the path is unknown and malformed", 404, "NOT_FOUND", () => ({ path: "/%E0%A4%A" })],
  ["an item is deleted", 404, "NOT_FOUND", (c) => ({ method: "DELETE", path: `/items/${c.item.id}`, as: "operator" })],
  ["an order is PUT", 404, "NOT_FOUND", (c) => ({ method: "PUT", path: "/orders", body: { items: [{ itemId: c.item.id, quantity: 1 }] } })],
  ["a balance is PATCHed", 404, "NOT_FOUND", (c) => ({ method: "PATCH", path: `/users/${c.buyer.id}/balance`, body: { amount: 1 } })],
  ["a path traversal is tried", 404, "NOT_FOUND", () => ({ path: "/items/../../etc/passwd" })],
]);
