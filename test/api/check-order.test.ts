import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call, type Reply } from "../support/http";
import { makeItem } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { saleState } from "../support/sale-state";
import { makeBuyer, type Buyer } from "../support/stack";

const big = JSON.stringify({ pad: "x".repeat(1_100_000) });
const hour = 3600_000;

/** A body of more than 1 MB sent chunked, without Content-Length: its size is known only once read. */
async function chunked(path: string, token: string, contentType: string): Promise<Reply> {
  const bytes = new TextEncoder().encode(big);
  const body = new ReadableStream({
    start(c) {
      for (let i = 0; i < bytes.length; i += 64 * 1024) c.enqueue(bytes.subarray(i, i + 64 * 1024));
      c.close();
    },
  });
  const res = await fetch(stack().url + path, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": contentType }, body, duplex: "half" } as RequestInit);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, body: JSON.parse(text) };
}

type Who = "none" | "bad" | "buyer" | "operator";
const tokenOf = (who: Who, buyer: Buyer) => (who === "buyer" ? buyer.token : who === "operator" ? stack().operator : who === "bad" ? "x.y.z" : undefined);

// [when, who, method, path, options, status, code]
const cases: [string, Who, string, (b: Buyer, item: string) => string, { body?: unknown; raw?: string; headers?: Record<string, string> }, number, string][] = [
  ["no token and a bad body on POST /orders", "none", "POST", () => "/orders", { body: { items: "nope" } }, 401, "UNAUTHENTICATED"],
  ["a bad token and a body over 1 MB", "bad", "POST", () => "/orders", { raw: big, headers: { "content-type": "text/plain" } }, 401, "UNAUTHENTICATED"],
  ["no token and a non-UUID order id", "none", "GET", () => "/orders/not-a-uuid", {}, 401, "UNAUTHENTICATED"],
  ["no token and a malformed URL escape", "none", "GET", () => "/orders/%E0%A4%A", {}, 401, "UNAUTHENTICATED"],
  ["no token and a malformed escape in a balance path", "none", "GET", () => "/users/%E0%A4%A/balance", {}, 401, "UNAUTHENTICATED"],
  ["a buyer with a bad body on POST /items", "buyer", "POST", () => "/items", { body: { price: "free" } }, 403, "FORBIDDEN"],
  ["a buyer with a body over 1 MB on a credit", "buyer", "POST", (b) => `/users/${b.id}/balance/credit`, { raw: big, headers: { "content-type": "application/json" } }, 403, "FORBIDDEN"],
  ["a buyer with a malformed escape on a credit", "buyer", "POST", () => "/users/%E0%A4%A/balance/credit", { body: {} }, 403, "FORBIDDEN"],
  ["a buyer restocking an unknown item with text/plain", "buyer", "POST", () => `/items/${randomUUID()}/restock`, { raw: "x", headers: { "content-type": "text/plain" } }, 403, "FORBIDDEN"],
  ["an operator with a bad body on POST /orders", "operator", "POST", () => "/orders", { body: { items: [] } }, 403, "FORBIDDEN"],
  ["an oversized body with the wrong content type", "buyer", "POST", () => "/orders", { raw: big, headers: { "content-type": "text/plain" } }, 413, "PAYLOAD_TOO_LARGE"],
  ["the wrong content type with a body that is not JSON", "buyer", "POST", () => "/orders", { raw: "{{{", headers: { "content-type": "text/plain" } }, 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["the wrong content type on an unknown item id", "operator", "POST", () => `/items/${randomUUID()}/restock`, { raw: '{"quantity":1}', headers: { "content-type": "text/xml" } }, 415, "UNSUPPORTED_MEDIA_TYPE"],
  ["a bad body for a user who does not exist", "operator", "POST", () => `/users/${randomUUID()}/balance/credit`, { body: { amount: -5, currency: "USD" } }, 400, "VALIDATION_FAILED"],
  ["a bad body for an item that does not exist", "operator", "POST", () => `/items/${randomUUID()}/restock`, { body: { quantity: 0 } }, 400, "VALIDATION_FAILED"],
  ["a bad quantity for an item that does not exist", "buyer", "POST", () => "/orders", { body: { items: [{ itemId: randomUUID(), quantity: 0 }] } }, 400, "VALIDATION_FAILED"],
  ["a bad limit on another buyer's ledger", "buyer", "GET", () => `/users/${randomUUID()}/ledger?limit=0`, {}, 400, "VALIDATION_FAILED"],
  ["a bad cursor on another buyer's ledger", "buyer", "GET", () => `/users/${randomUUID()}/ledger?cursor=nonsense`, {}, 400, "VALIDATION_FAILED"],
];

describe("the order of checks", () => {
  for (const [when, who, method, path, opts, status, code] of cases) {
    it(`when ${when}, then ${status} ${code}`, async () => {
      const s = stack();
      const buyer = await makeBuyer(s);
      const item = await makeItem(s);
      const before = await saleState(s, [buyer.id], [item.id]);
      expectProblem(await call(s.url, method, path(buyer, item.id), { token: tokenOf(who, buyer), ...opts }), status, code);
      expect(await saleState(s, [buyer.id], [item.id])).to.deep.equal(before);
    });
  }

  for (const contentType of ["text/plain", "application/json"]) {
    it(`when a body over 1 MB is sent chunked as ${contentType}, then 413 PAYLOAD_TOO_LARGE (size before media type)`, async () => {
      const s = stack();
      const count = await s.api.deps.db.item.count();
      expectProblem(await chunked("/items", s.operator, contentType), 413, "PAYLOAD_TOO_LARGE");
      expect(await s.api.deps.db.item.count()).to.equal(count);
    });
  }

  const rules: [string, Record<string, unknown>, number, string][] = [
    ["not started and sold out", { startsAt: new Date(Date.now() + hour).toISOString(), stock: 0 }, 1, "SALE_NOT_STARTED"],
    ["ended and sold out", { startsAt: new Date(Date.now() - 2 * hour).toISOString(), endsAt: new Date(Date.now() - hour).toISOString(), stock: 0 }, 1, "SALE_ENDED"],
    ["ended and over the limit", { endsAt: new Date(Date.now() - 1000).toISOString(), startsAt: new Date(Date.now() - hour).toISOString(), maxPerUser: 1 }, 2, "SALE_ENDED"],
    ["over the limit and over the stock", { stock: 1, maxPerUser: 1 }, 2, "LIMIT_EXCEEDED"],
  ];
  for (const [when, itemBody, quantity, code] of rules) {
    it(`when an item is ${when}, then the first rule in the contract's order answers: ${code}`, async () => {
      const s = stack();
      const item = await makeItem(s, itemBody);
      const buyer = await makeBuyer(s);
      const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: item.id, quantity }] } });
      expectProblem(r, 409, code);
    });
  }

  it("when one line is unknown and another sold out, then 404 ITEM_NOT_FOUND (existence before the rules)", async () => {
    const s = stack();
    const soldOut = await makeItem(s, { stock: 0 });
    const buyer = await makeBuyer(s);
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: soldOut.id, quantity: 1 }, { itemId: randomUUID(), quantity: 1 }] } });
    expectProblem(r, 404, "ITEM_NOT_FOUND");
  });
});
