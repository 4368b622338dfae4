import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeItem } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { call } from "../support/http";
import { spec } from "../support/openapi";

type Schema = { type?: string | string[]; minimum?: number; maximum?: number; minLength?: number; maxLength?: number };

/** The bounds the document gives a request body's top-level fields: [field, value just inside, value just outside]. */
function boundaries(schemaName: string): [string, unknown, unknown][] {
  const out: [string, unknown, unknown][] = [];
  for (const [field, s] of Object.entries<Schema>(spec.components.schemas[schemaName].properties)) {
    const text = (n: number) => (field === "email" ? `${"a".repeat(n - "@example.com".length)}@example.com` : "x".repeat(n));
    if (s.maximum !== undefined) out.push([field, s.maximum, s.maximum + 1]);
    if (s.minimum !== undefined) out.push([field, s.minimum, s.minimum - 1]);
    if (s.maxLength !== undefined) out.push([field, text(s.maxLength), text(s.maxLength + 1)]);
    if (s.minLength !== undefined && s.minLength > 0 && field !== "email") out.push([field, text(s.minLength), text(s.minLength - 1)]);
  }
  return out;
}

describe("OpenAPI document: its request bounds are the API's", () => {
  let buyer: Buyer;
  let itemId: string;
  before(async () => {
    buyer = await makeBuyer(stack(), { USD: 10 });
    itemId = (await makeItem(stack(), { stock: 5, maxPerUser: 5 })).id;
  });

  // Each body schema with an operation to send it to and a body that is valid but for the field tried.
  const cases = () => [
    { schema: "NewItem", path: "/items", ok: 201, base: { name: "Bounds", price: 10, currency: "USD", stock: 1 } },
    { schema: "Restock", path: `/items/${itemId}/restock`, ok: 200, base: { quantity: 1 } },
    { schema: "WalletAdjustment", path: `/users/${buyer.id}/balance/credit`, ok: 200, base: { amount: 1, currency: "USD" } },
    { schema: "NewUser", path: "/users", ok: 201, base: () => ({ email: `b-${randomUUID()}@example.com`, password: "long enough" }) },
  ];

  it("when each bounded field of a body is sent at its documented limit and one past it, then the API accepts the first and answers 400 to the second", async () => {
    for (const c of cases()) {
      const tried = boundaries(c.schema);
      expect(tried.length, `${c.schema} has documented bounds`).to.be.greaterThan(0);
      for (const [field, inside, outside] of tried) {
        const base = typeof c.base === "function" ? c.base() : c.base;
        const accepted = await call(stack().url, "POST", c.path, { token: stack().operator, body: { ...base, [field]: inside } });
        expect(accepted.status, `${c.schema}.${field} = ${String(inside).slice(0, 20)}: ${accepted.text.slice(0, 200)}`).to.equal(c.ok);
        const refused = await call(stack().url, "POST", c.path, { token: stack().operator, body: { ...base, [field]: outside } });
        expect(refused.status, `${c.schema}.${field} = ${String(outside).slice(0, 20)}: ${refused.text.slice(0, 200)}`).to.equal(400);
      }
    }
  });

  it("when an order's lines and quantities are at their documented limits and one past them, then 400 only past them", async () => {
    const s = spec.components.schemas.PlaceOrder.properties.items;
    const send = (items: unknown[]) => call(stack().url, "POST", "/orders", { token: buyer.token, body: { items } });
    const line = (quantity: number, id = itemId) => ({ itemId: id, quantity });
    const q = s.items.properties.quantity;
    expect((await send([line(q.maximum)])).status, "quantity at its maximum is no shape error").to.not.equal(400);
    expect((await send([line(q.maximum + 1)])).status).to.equal(400);
    expect((await send([line(q.minimum - 1)])).status).to.equal(400);
    const many = (n: number) => Array.from({ length: n }, () => line(1, randomUUID()));
    expect((await send(many(s.maxItems))).status, "the most lines is no shape error").to.equal(404);
    expect((await send(many(s.maxItems + 1))).status).to.equal(400);
    expect((await send(many(s.minItems - 1))).status).to.equal(400);
  });

  it("when limit, cursor and Idempotency-Key are at their documented limits and one past them, then 400 only past them", async () => {
    const p = spec.components.parameters;
    const list = (q: string) => call(stack().url, "GET", `/items?${q}`);
    expect((await list(`limit=${p.Limit.schema.maximum}`)).status).to.equal(200);
    expect((await list(`limit=${p.Limit.schema.maximum + 1}`)).status).to.equal(400);
    expect((await list(`limit=${p.Limit.schema.minimum}`)).status).to.equal(200);
    expect((await list(`limit=${p.Limit.schema.minimum - 1}`)).status).to.equal(400);
    expect((await list(`cursor=${"x".repeat(p.Cursor.schema.maxLength + 1)}`)).status).to.equal(400);
    const credit = (key: string) =>
      call(stack().url, "POST", `/users/${buyer.id}/balance/credit`, { token: stack().operator, body: { amount: 1, currency: "USD" }, headers: { "idempotency-key": key } });
    expect((await credit("k".repeat(p.IdempotencyKey.schema.maxLength))).status).to.equal(200);
    expect((await credit("k".repeat(p.IdempotencyKey.schema.maxLength + 1))).status).to.equal(400);
  });
});
