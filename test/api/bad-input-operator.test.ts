import { randomUUID } from "node:crypto";
import { framingCases, pathIdCases, refusalSuite, type Case, type Ctx, type Endpoint } from "../support/refusals";

const counts: [string, unknown][] = [
  ["negative", -1],
  ["fractional", 2.5],
  ["huge", 1e15],
  ["above 2^53", 2 ** 53 + 2],
  ["a numeric string", "5"],
  ["null", null],
  ["a boolean", false],
  ["an array", [5]],
];

/** Cases that replace one field of a valid body with a bad value. */
const field = (valid: (c: Ctx) => Record<string, unknown>, name: string, values: [string, unknown][], code = "VALIDATION_FAILED"): Case[] =>
  values.map(([what, v]) => [`${name} is ${what}`, 400, code, (c) => ({ body: { ...valid(c), [name]: v } })]);
const without = (valid: (c: Ctx) => Record<string, unknown>, name: string): Case => [
  `${name} is missing`,
  400,
  "VALIDATION_FAILED",
  (c) => ({ body: Object.fromEntries(Object.entries(valid(c)).filter(([k]) => k !== name)) }),
];

// POST /items
const item = () => ({ name: "Bad sneaker", price: 100, currency: "USD", stock: 3 });
const newItem: Endpoint = { method: "POST", path: () => "/items", as: "operator", valid: item };
refusalSuite("bad input: POST /items", newItem, [
  ...framingCases(newItem),
  ...["name", "price", "currency", "stock"].map((n) => without(item, n)),
  ...field(item, "name", [["empty", ""], ["only spaces", "   "], ["201 characters", "n".repeat(201)], ["a number", 7], ["NUL", "a\u0000b"], ["a lone surrogate", "\ud800"]]),
  ...field(item, "price", [...counts, ["a float of cents", 19.99], ["over the maximum", 100_000_000_001]]),
  ...field(item, "stock", [...counts, ["over the maximum", 10_000_001]]),
  ...field(item, "currency", [["lower case", "usd"], ["four letters", "USDT"], ["a symbol", "$"], ["empty", ""], ["a number", 840]]),
  ...field(item, "maxPerUser", [["zero", 0], ...counts, ["over the maximum", 1001]]),
  ...field(item, "rewardRate", [["negative", -0.1], ["above 1", 1.01], ["a percentage", 10], ["a string", "0.1"]]),
  ...field(item, "startsAt", [["not a date", "tomorrow"], ["a date without time", "2030-01-01"], ["the 30th of February", "2030-02-30T00:00:00Z"], ["epoch milliseconds", Date.now()], ["year 0", "0000-01-01T00:00:00Z"], ["past year 9999 in UTC", "9999-12-31T23:59:59-23:59"], ["null", null]]),
  ...field(item, "endsAt", [["not a date", "never"], ["hour 24", "2030-01-01T24:00:00Z"], ["year 0", "0000-06-01T00:00:00Z"], ["past year 9999 in UTC", "9999-12-31T23:00:00-05:00"]]),
]);

// POST /items/:id/restock
const restock: Endpoint = { method: "POST", path: (c) => `/items/${c.item.id}/restock`, as: "operator", valid: () => ({ quantity: 1 }) };
refusalSuite("bad input: POST /items/:id/restock", restock, [
  ...framingCases(restock),
  ...pathIdCases(restock, (id) => `/items/${id}/restock`, "ITEM_NOT_FOUND"),
  without(() => ({ quantity: 1 }), "quantity"),
  ...field(() => ({ quantity: 1 }), "quantity", [["zero", 0], ...counts, ["over the maximum", 10_000_001]]),
  ["the body is a bare number", 400, "VALIDATION_FAILED", () => ({ body: 5 })],
]);

// POST /users/:id/balance/credit and /debit
for (const direction of ["credit", "debit"]) {
  const money = () => ({ amount: 100, currency: "USD" });
  const adjust: Endpoint = { method: "POST", path: (c) => `/users/${c.buyer.id}/balance/${direction}`, as: "operator", valid: money };
  refusalSuite(`bad input: POST /users/:id/balance/${direction}`, adjust, [
    ...framingCases(adjust),
    ...pathIdCases(adjust, (id) => `/users/${id}/balance/${direction}`, "NOT_FOUND"),
    without(money, "amount"),
    without(money, "currency"),
    ...field(money, "amount", [["zero", 0], ["-0", -0], ...counts, ["a float of cents", 0.5], ["over the maximum", 1_000_000_000_001], ["exponent notation past 2^63", 1e19]]),
    ...field(money, "currency", [["lower case", "usd"], ["two letters", "US"], ["null", null], ["an SQL fragment", "U'S"]]),
    ["the Idempotency-Key is 256 characters", 400, "VALIDATION_FAILED", () => ({ body: money(), headers: { "idempotency-key": "k".repeat(256) } })],
  ]);
}

// POST /users
const user = () => ({ email: `bad-${randomUUID()}@test.flashsale` });
const newUser: Endpoint = { method: "POST", path: () => "/users", as: "operator", valid: user };
refusalSuite("bad input: POST /users", newUser, [
  ...framingCases(newUser),
  without(user, "email"),
  ...field(user, "email", [["not an email", "alice"], ["empty", ""], ["a number", 5], ["null", null], ["an array", ["a@b.co"]], ["over 254 characters", `${"a".repeat(250)}@b.co`], ["with a NUL", "a\u0000@b.co"]]),
  ...field(user, "password", [["7 characters", "1234567"], ["a number", 12345678], ["201 characters", "p".repeat(201)], ["null", null]]),
  ...field(user, "role", [["admin", "admin"], ["upper case", "OPERATOR"], ["empty", ""], ["null", null]]),
]);
