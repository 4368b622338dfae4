import { randomUUID } from "node:crypto";
import net from "node:net";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeBuyer, type Buyer } from "../support/stack";
import { call } from "../support/http";
import { componentResponseMismatches, expectMatchesSpec, templateOf } from "../support/openapi";
import { ACCOUNT_OPERATIONS, eventsOf, firstBytesOf, hit, unwalked } from "./walk";

describe("OpenAPI document: health, users, wallets, metrics and pages answer as documented", () => {
  let buyer: Buyer;
  const url = () => stack().url;
  const op = () => stack().operator;

  before(async () => {
    buyer = await makeBuyer(stack(), { USD: 5_000 });
  });

  it("when health, readiness and the document are asked without a token, then each is 200 as documented", async () => {
    await hit(url(), "GET", "/healthz", 200);
    await hit(url(), "GET", "/readyz", 200);
    await hit(url(), "GET", "/openapi.json", 200);
  });

  it("when an operator creates users and a user logs in, then 201 with Location, 200 token; refusals are the documented problems", async () => {
    const email = `walk-${randomUUID()}@test.flashsale`;
    const created = await hit(url(), "POST", "/users", 201, { token: op(), body: { email, password: "correct horse battery", role: "buyer" } });
    expect(created.headers.get("location")).to.equal(`/users/${created.body.id}`);
    await hit(url(), "POST", "/users", 409, { token: op(), body: { email: email.toUpperCase() } });
    await hit(url(), "POST", "/users", 400, { token: op(), body: { email: "not an email" } });
    await hit(url(), "POST", "/users", 401, { body: { email } });
    await hit(url(), "POST", "/users", 403, { token: buyer.token, body: { email } });
    await hit(url(), "POST", "/users", 415, { token: op(), raw: "email=x", headers: { "content-type": "text/plain" } });
    await hit(url(), "POST", "/users", 413, { token: op(), raw: `{"email":"${"x".repeat(1_100_000)}"}`, headers: { "content-type": "application/json" } });
    await hit(url(), "POST", "/auth/token", 200, { body: { email, password: "correct horse battery" } });
    await hit(url(), "POST", "/auth/token", 401, { body: { email, password: "wrong horse battery" } });
    await hit(url(), "POST", "/auth/token", 400, { body: { email } });
  });

  it("when balances and ledgers are read and wallets credited and debited, then each answer is documented", async () => {
    const p = { id: buyer.id };
    await hit(url(), "GET", "/users/{id}/balance", 200, { token: buyer.token, params: p });
    await hit(url(), "GET", "/users/{id}/balance", 404, { token: buyer.token, params: { id: randomUUID() } });
    await hit(url(), "GET", "/users/{id}/balance", 400, { token: op(), params: { id: "not-a-uuid" } });
    await hit(url(), "GET", "/users/{id}/balance", 401, { params: p });
    const key = { "idempotency-key": `walk-${randomUUID()}` };
    const credited = await hit(url(), "POST", "/users/{id}/balance/credit", 200, { token: op(), params: p, body: { amount: 250, currency: "USD" }, headers: key });
    const replayed = await hit(url(), "POST", "/users/{id}/balance/credit", 200, { token: op(), params: p, body: { amount: 250, currency: "USD" }, headers: key });
    expect(replayed.body).to.deep.equal(credited.body);
    await hit(url(), "POST", "/users/{id}/balance/credit", 422, { token: op(), params: p, body: { amount: 251, currency: "USD" }, headers: key });
    await hit(url(), "POST", "/users/{id}/balance/credit", 404, { token: op(), params: { id: randomUUID() }, body: { amount: 1, currency: "USD" } });
    await hit(url(), "POST", "/users/{id}/balance/credit", 400, { token: op(), params: p, body: { amount: 1.5, currency: "USD" } });
    await hit(url(), "POST", "/users/{id}/balance/debit", 200, { token: op(), params: p, body: { amount: 50, currency: "USD" } });
    await hit(url(), "POST", "/users/{id}/balance/debit", 409, { token: op(), params: p, body: { amount: 1_000_000, currency: "USD" } });
    await hit(url(), "POST", "/users/{id}/balance/debit", 403, { token: buyer.token, params: p, body: { amount: 1, currency: "USD" } });
    const first = await hit(url(), "GET", "/users/{id}/ledger", 200, { token: buyer.token, params: p, query: "limit=1" });
    expect(first.body.nextCursor).to.be.a("string");
    await hit(url(), "GET", "/users/{id}/ledger", 200, { token: op(), params: p, query: `limit=200&cursor=${first.body.nextCursor}` });
    await hit(url(), "GET", "/users/{id}/ledger", 400, { token: buyer.token, params: p, query: "limit=201" });
    await hit(url(), "GET", "/users/{id}/ledger", 404, { token: op(), params: { id: randomUUID() } });
  });

  it("when metrics are asked by an operator, a buyer and no one, then 200 JSON or text, 403, 401", async () => {
    await hit(url(), "GET", "/metrics", 200, { token: op() });
    await hit(url(), "GET", "/metrics", 403, { token: buyer.token });
    await hit(url(), "GET", "/metrics", 401);
    const prom = await hit(url(), "GET", "/metrics/prometheus", 200, { token: op() });
    expect(prom.text).to.match(/^# HELP /m);
    await hit(url(), "GET", "/metrics/prometheus", 403, { token: buyer.token });
  });

  it("when the dashboard page, its assets and its event stream are asked, then each is documented; an unknown asset is 404", async () => {
    const page = await hit(url(), "GET", "/dashboard", 200);
    for (const asset of (page.text.match(/(?:src|href)="\/dashboard\/([^"/]+)"/g) ?? []).map((m) => m.split("/").pop()!.slice(0, -1))) {
      await hit(url(), "GET", "/dashboard/{asset}", 200, { params: { asset } });
    }
    await hit(url(), "GET", "/dashboard/{asset}", 200, { params: { asset: "styles.css" } });
    await hit(url(), "GET", "/dashboard/{asset}", 404, { params: { asset: "no-such-file.js" } });
    for (const [template, params] of [["/dashboard", {}], ["/dashboard/{asset}", { asset: "app.js" }]] as const) {
      const part = await hit(url(), "GET", template, 206, { params, headers: { range: "bytes=0-9" } });
      expect(part.text).to.have.length(10);
      await hit(url(), "GET", template, 400, { params, headers: { range: "bytes=99999999-" } });
    }
    await hit(url(), "GET", "/dashboard/events", 401);
    await hit(url(), "GET", "/dashboard/events", 403, { token: buyer.token });
    const stream = await firstBytesOf(url(), "/dashboard/events", op());
    expectMatchesSpec("GET", "/dashboard/events", stream);
    expect(stream.status).to.equal(200);
    expect(eventsOf(stream.text, "history").length + eventsOf(stream.text, "snapshot").length + (stream.text.startsWith("retry:") ? 1 : 0)).to.be.greaterThan(0);
  });

  it("when a path or method names no endpoint, then the document's NoSuchEndpoint answers (404 NOT_FOUND)", async () => {
    for (const [method, path] of [["GET", "/nope"], ["DELETE", "/items"], ["PUT", "/users"], ["GET", "/dashboard/a/b.js"], ["OPTIONS", "/orders"]] as const) {
      const r = await call(url(), method, path, { token: buyer.token });
      expect(r.status, `${method} ${path}`).to.equal(404);
      expect(r.body.code).to.equal("NOT_FOUND");
      expectMatchesSpec(method, templateOf(path), r);
    }
  });

  it("when the HTTP parser refuses a request (bad header line, headers over 16 KB), then the answer is the document's UnparseableRequest or HeadersTooLarge", async () => {
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const sock = net.connect(stack().api.port, "127.0.0.1", () => sock.write(request));
        let out = "";
        sock.on("data", (d) => (out += d.toString("utf8")));
        sock.on("end", () => resolve(out));
        sock.on("error", reject);
      });
    for (const [request, name] of [
      ["GET /healthz HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n", "UnparseableRequest"],
      [`GET /items HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, "HeadersTooLarge"],
    ] as const) {
      const out = await raw(request);
      const [head, text] = [out.slice(0, out.indexOf("\r\n\r\n")), out.slice(out.indexOf("\r\n\r\n") + 4)];
      const headers = new Headers(head.split("\r\n").slice(1).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()] as [string, string]));
      const reply = { status: Number(head.split(" ")[1]), headers, body: JSON.parse(text), text };
      expect(reply.status, name).to.equal(reply.body.status);
      expect(componentResponseMismatches(name, reply), `${name}: ${out.slice(0, 300)}`).to.deep.equal([]);
    }
  });

  it("when this walk is over, then each of its operations had a 2xx reply checked against the document", () => {
    expect(unwalked(ACCOUNT_OPERATIONS)).to.deep.equal([]);
  });
});
