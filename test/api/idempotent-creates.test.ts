import { expect } from "chai";
import { randomUUID } from "node:crypto";
import { stack } from "../support/hooks";
import { call } from "../support/http";

describe("Idempotency-Key on the operators' creating POSTs", () => {
  it("when POST /items is repeated with the same key, then the same item comes back and one item exists; another body is 422", async () => {
    const s = stack();
    const key = { "idempotency-key": randomUUID() };
    const body = { name: `idem-${randomUUID()}`, price: 100, currency: "USD", stock: 5 };
    const a = await call(s.url, "POST", "/items", { token: s.operator, body, headers: key });
    const b = await call(s.url, "POST", "/items", { token: s.operator, body, headers: key });
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    expect(b.body).to.deep.equal(a.body);
    expect(await s.api.deps.db.item.count({ where: { name: body.name } })).to.equal(1);
    const c = await call(s.url, "POST", "/items", { token: s.operator, body: { ...body, stock: 6 }, headers: key });
    expect(c.status).to.equal(422);
    expect(c.body.code).to.equal("IDEMPOTENCY_KEY_REUSED");
  });

  it("when a restock is repeated with the same key, then the units are added once, in PostgreSQL and in Redis", async () => {
    const s = stack();
    const item = (await call(s.url, "POST", "/items", { token: s.operator, body: { name: "restock-idem", price: 100, currency: "USD", stock: 5 } })).body;
    const key = { "idempotency-key": randomUUID() };
    const a = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 3 }, headers: key });
    const b = await call(s.url, "POST", `/items/${item.id}/restock`, { token: s.operator, body: { quantity: 3 }, headers: key });
    expect([a.status, b.status]).to.deep.equal([200, 200]);
    expect(b.body).to.deep.equal(a.body);
    expect(a.body).to.include({ stock: 8, remaining: 8 });
    expect((await s.api.deps.db.item.findUniqueOrThrow({ where: { id: item.id } })).stock).to.equal(8);
    expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(8);
  });

  it("when POST /users is repeated with the same key, then the same user comes back (not EMAIL_TAKEN)", async () => {
    const s = stack();
    const key = { "idempotency-key": randomUUID() };
    const body = { email: `idem-${randomUUID()}@example.com`, password: "long enough" };
    const a = await call(s.url, "POST", "/users", { token: s.operator, body, headers: key });
    const b = await call(s.url, "POST", "/users", { token: s.operator, body, headers: key });
    expect([a.status, b.status]).to.deep.equal([201, 201]);
    expect(b.body).to.deep.equal(a.body);
  });
});
