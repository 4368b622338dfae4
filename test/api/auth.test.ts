import { randomUUID } from "node:crypto";
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { makeBuyer } from "../support/stack";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);

/** Tokens a client might present that the contract says are all 401, for a real buyer `sub`. */
function badTokens(secret: string, sub: string): [string, string | undefined][] {
  const good = jwt.sign({ role: "buyer" }, secret, { algorithm: "HS256", subject: sub, expiresIn: 600 });
  const [h, p, sig] = good.split(".");
  return [
    ["no Authorization header", undefined],
    ["an empty Authorization header", ""],
    ["Basic credentials", `Basic ${Buffer.from("a:b").toString("base64")}`],
    ["'Bearer' with no token", "Bearer "],
    ["a token that is not a JWT", "Bearer not-a-jwt"],
    ["a token of three empty parts", "Bearer .."],
    ["alg none, unsigned", `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ sub, role: "operator" })}.`],
    ["alg none with the good signature", `Bearer ${b64({ alg: "none" })}.${p}.${sig}`],
    ["HS512 with the right secret", `Bearer ${jwt.sign({ role: "buyer" }, secret, { algorithm: "HS512", subject: sub })}`],
    ["RS256 header over an HMAC signature", `Bearer ${b64({ alg: "RS256", typ: "JWT" })}.${p}.${sig}`],
    ["an expired token", `Bearer ${jwt.sign({ role: "buyer", exp: now() - 60 }, secret, { subject: sub })}`],
    ["a not-yet-valid token", `Bearer ${jwt.sign({ role: "buyer", nbf: now() + 600 }, secret, { subject: sub })}`],
    ["a wrong signature", `Bearer ${jwt.sign({ role: "buyer" }, "some-other-secret-of-16-chars", { subject: sub })}`],
    ["a payload tampered to operator", `Bearer ${h}.${b64({ sub, role: "operator", iat: now() })}.${sig}`],
    ["a truncated signature", `Bearer ${h}.${p}.${sig!.slice(0, -4)}`],
    ["no sub", `Bearer ${jwt.sign({ role: "buyer" }, secret)}`],
    ["a sub that is not a user id", `Bearer ${jwt.sign({ role: "buyer" }, secret, { subject: "alice" })}`],
    ["an unknown role", `Bearer ${jwt.sign({ role: "admin" }, secret, { subject: sub })}`],
    ["a string payload", `Bearer ${jwt.sign("just-a-string", secret)}`],
  ];
}

describe("authentication", () => {
  it("when an operator creates a user with a password and it logs in, then 200 with a Bearer token that acts as that user", async () => {
    const s = stack();
    const email = `Login-${randomUUID()}@Test.Flashsale`;
    const made = await call(s.url, "POST", "/users", { token: s.operator, body: { email, password: "correct horse battery" } });
    expect(made.status, made.text).to.equal(201);
    const r = await call(s.url, "POST", "/auth/token", { body: { email: email.toUpperCase(), password: "correct horse battery" } });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.have.keys("accessToken", "tokenType", "expiresIn");
    expect(r.body.tokenType).to.equal("Bearer");
    expect(r.body.expiresIn).to.be.a("number").above(0);
    const bal = await call(s.url, "GET", `/users/${made.body.id}/balance`, { token: r.body.accessToken });
    expect(bal.status, bal.text).to.equal(200);
    expect(bal.body).to.deep.equal({ userId: made.body.id, balances: [] });
  });

  it("when an operator account logs in, then its token passes operator routes", async () => {
    const s = stack();
    const email = `op-${randomUUID()}@test.flashsale`;
    await call(s.url, "POST", "/users", { token: s.operator, body: { email, password: "operator-password", role: "operator" } });
    const login = await call(s.url, "POST", "/auth/token", { body: { email, password: "operator-password" } });
    const item = await call(s.url, "POST", "/items", { token: login.body.accessToken, body: { name: "Cap", price: 100, currency: "USD", stock: 1 } });
    expect(item.status, item.text).to.equal(201);
  });

  const wrongLogins: [string, (email: string) => unknown][] = [
    ["the wrong password", (email) => ({ email, password: "wrong password" })],
    ["an unknown email", () => ({ email: `nobody-${randomUUID()}@test.flashsale`, password: "whatever-password" })],
    ["an empty password", (email) => ({ email, password: "" })],
  ];
  for (const [what, body] of wrongLogins) {
    it(`when a login uses ${what}, then 401 INVALID_CREDENTIALS`, async () => {
      const s = stack();
      const email = `cred-${randomUUID()}@test.flashsale`;
      await call(s.url, "POST", "/users", { token: s.operator, body: { email, password: "the-real-password" } });
      expectProblem(await call(s.url, "POST", "/auth/token", { body: body(email) }), 401, "INVALID_CREDENTIALS");
    });
  }

  it("when a user created without a password tries to log in, then 401 INVALID_CREDENTIALS", async () => {
    const s = stack();
    const email = `nopass-${randomUUID()}@test.flashsale`;
    await call(s.url, "POST", "/users", { token: s.operator, body: { email } });
    expectProblem(await call(s.url, "POST", "/auth/token", { body: { email, password: "anything-at-all" } }), 401, "INVALID_CREDENTIALS");
  });

  it("when a token is issued by anyone holding JWT_SECRET (an identity provider), then it is accepted", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 5 });
    const token = jwt.sign({}, s.cfg.jwt.secret!, { algorithm: "HS256", subject: buyer.id.toUpperCase(), expiresIn: 60 });
    const r = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token });
    expect(r.status, r.text).to.equal(200);
    expect(r.body.balances).to.deep.equal([{ currency: "USD", amount: 5 }]);
  });

  describe("a bad token", () => {
    const routes: [string, string, (id: string, itemId: string) => string, (itemId: string) => unknown][] = [
      ["GET balance", "GET", (id) => `/users/${id}/balance`, () => undefined],
      ["GET ledger", "GET", (id) => `/users/${id}/ledger`, () => undefined],
      ["POST /orders", "POST", () => "/orders", (itemId) => ({ items: [{ itemId, quantity: 1 }] })],
      ["GET an order", "GET", () => `/orders/${randomUUID()}`, () => undefined],
      ["POST /items", "POST", () => "/items", () => ({ name: "X", price: 1, currency: "USD", stock: 1 })],
      ["POST /users", "POST", () => "/users", () => ({ email: `x-${randomUUID()}@test.flashsale` })],
      ["POST credit", "POST", (id) => `/users/${id}/balance/credit`, () => ({ amount: 1, currency: "USD" })],
      ["POST restock", "POST", (_id, itemId) => `/items/${itemId}/restock`, () => ({ quantity: 1 })],
    ];
    const names = badTokens("placeholder-secret-16", randomUUID()).map(([what]) => what);
    names.forEach((what, i) => {
      it(`when a request carries ${what}, then every protected route answers 401 UNAUTHENTICATED and nothing happens`, async () => {
        const s = stack();
        const buyer = await makeBuyer(s, { USD: 10_000 });
        const item = await call(s.url, "POST", "/items", { token: s.operator, body: { name: "Hat", price: 100, currency: "USD", stock: 5 } });
        const users = await s.api.deps.db.user.count();
        const authorization = badTokens(s.cfg.jwt.secret!, buyer.id)[i]![1];
        for (const [route, method, path, body] of routes) {
          const headers: Record<string, string> = authorization === undefined ? {} : { authorization };
          const r = await call(s.url, method, path(buyer.id, item.body.id), { body: body(item.body.id), headers });
          expect(r.status, `${route}: ${r.text}`).to.equal(401);
          expectProblem(r, 401, "UNAUTHENTICATED");
        }
        const after = await call(s.url, "GET", `/items/${item.body.id}`);
        expect(after.body).to.include({ remaining: 5, stock: 5 });
        expect(await s.api.deps.db.user.count()).to.equal(users);
        expect(await s.api.deps.db.ledgerEntry.count({ where: { userId: buyer.id } })).to.equal(1);
      });
    });
  });
});
