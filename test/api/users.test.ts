import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { makeBuyer } from "../support/stack";

const email = () => `user-${randomUUID()}@test.flashsale`;

describe("POST /users", () => {
  it("when an operator creates a user with just an email, then 201 with a buyer, a Location and nothing secret", async () => {
    const s = stack();
    const address = email();
    const r = await call(s.url, "POST", "/users", { token: s.operator, body: { email: address } });
    expect(r.status, r.text).to.equal(201);
    expect(r.body).to.have.keys("id", "email", "role", "createdAt");
    expect(r.body).to.include({ email: address, role: "buyer" });
    expect(r.body.id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(new Date(r.body.createdAt).toISOString()).to.equal(r.body.createdAt);
    expect(r.headers.get("location")).to.equal(`/users/${r.body.id}`);
    const row = await s.api.deps.db.user.findUniqueOrThrow({ where: { id: r.body.id } });
    expect(row.email).to.equal(address);
  });

  it("when an operator creates an operator with a password, then the role and a hashed password are stored", async () => {
    const s = stack();
    const r = await call(s.url, "POST", "/users", { token: s.operator, body: { email: email(), password: "long-enough-pw", role: "operator" } });
    expect(r.status, r.text).to.equal(201);
    expect(r.body.role).to.equal("operator");
    const row = await s.api.deps.db.user.findUniqueOrThrow({ where: { id: r.body.id } });
    expect(row.passwordHash).to.be.a("string").and.not.include("long-enough-pw");
  });

  it("when the email is taken, in any letter case, then 409 EMAIL_TAKEN and no second user", async () => {
    const s = stack();
    const address = email();
    expect((await call(s.url, "POST", "/users", { token: s.operator, body: { email: address } })).status).to.equal(201);
    const users = await s.api.deps.db.user.count();
    expectProblem(await call(s.url, "POST", "/users", { token: s.operator, body: { email: address } }), 409, "EMAIL_TAKEN");
    expectProblem(await call(s.url, "POST", "/users", { token: s.operator, body: { email: address.toUpperCase() } }), 409, "EMAIL_TAKEN");
    expect(await s.api.deps.db.user.count()).to.equal(users);
  });

  it("when a buyer creates a user, then 403 FORBIDDEN and no user", async () => {
    const s = stack();
    const buyer = await makeBuyer(s);
    const address = email();
    expectProblem(await call(s.url, "POST", "/users", { token: buyer.token, body: { email: address, role: "operator" } }), 403, "FORBIDDEN");
    expect(await s.api.deps.db.user.count({ where: { email: address } })).to.equal(0);
  });

  it("when there is no token, then 401 UNAUTHENTICATED", async () => {
    expectProblem(await call(stack().url, "POST", "/users", { body: { email: email() } }), 401, "UNAUTHENTICATED");
  });
});

describe("GET /users/:id/balance", () => {
  it("when a buyer reads its own balance, then 200 with one entry per currency, sorted", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 1500, JPY: 300 });
    const r = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token: buyer.token });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.deep.equal({ userId: buyer.id, balances: [{ currency: "JPY", amount: 300 }, { currency: "USD", amount: 1500 }] });
  });

  it("when an operator reads a buyer's balance, also by an upper-case id, then 200", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 42 });
    const r = await call(s.url, "GET", `/users/${buyer.id.toUpperCase()}/balance`, { token: s.operator });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.deep.equal({ userId: buyer.id, balances: [{ currency: "USD", amount: 42 }] });
  });

  it("when a buyer reads another buyer's balance, then 404 NOT_FOUND, the same as for a user who does not exist", async () => {
    const s = stack();
    const [me, other] = [await makeBuyer(s), await makeBuyer(s)];
    const theirs = await call(s.url, "GET", `/users/${other.id}/balance`, { token: me.token });
    const nobody = await call(s.url, "GET", `/users/${randomUUID()}/balance`, { token: me.token });
    expectProblem(theirs, 404, "NOT_FOUND");
    expectProblem(nobody, 404, "NOT_FOUND");
    expect(theirs.body.detail).to.equal(nobody.body.detail);
  });

  it("when an operator reads the balance of a user who does not exist, then 404 NOT_FOUND", async () => {
    const s = stack();
    expectProblem(await call(s.url, "GET", `/users/${randomUUID()}/balance`, { token: s.operator }), 404, "NOT_FOUND");
  });

  it("when the id is not a UUID, then 400 VALIDATION_FAILED", async () => {
    const s = stack();
    expectProblem(await call(s.url, "GET", "/users/me/balance", { token: s.operator }), 400, "VALIDATION_FAILED");
  });
});
