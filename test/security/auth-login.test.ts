import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { expect } from "chai";
import bcrypt from "bcryptjs";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { assertWellFormed, send } from "./refusal-checks";

const PASSWORD = "correct horse battery staple";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function newUser(password?: string): Promise<string> {
  const email = `login-${randomUUID()}@test.flashsale`;
  const r = await call(stack().url, "POST", "/users", { token: stack().operator, body: { email, ...(password ? { password } : {}) } });
  expect(r.status, r.text).to.equal(201);
  return email;
}

async function login(email: string, password: string) {
  const a = await send(stack().url, { method: "POST", path: "/auth/token", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  assertWellFormed(a, "POST /auth/token");
  return a;
}

/**
 * Records the hash every bcrypt.compare is asked to check while `run` runs. Imported dynamically:
 * that is the ES module instance the API uses (a static import here may be the CommonJS one).
 */
async function comparesDuring(run: () => Promise<unknown>): Promise<string[]> {
  const { default: shared } = await import("bcryptjs");
  const original = shared.compare;
  const hashes: string[] = [];
  shared.compare = ((password: string, hash: string) => {
    hashes.push(hash);
    return original(password, hash);
  }) as typeof bcrypt.compare;
  try {
    await run();
  } finally {
    shared.compare = original;
  }
  return hashes;
}

describe("authentication attacks: login does not tell which emails exist", function () {
  this.timeout(120_000);

  it("when the email is unknown, or the user has no password, then the login still runs one bcrypt compare at the same cost as a real one", async () => {
    const known = await newUser(PASSWORD);
    const passwordless = await newUser();
    const real = await comparesDuring(() => login(known, "wrong password"));
    const unknown = await comparesDuring(() => login(`nobody-${randomUUID()}@test.flashsale`, "wrong password"));
    const none = await comparesDuring(() => login(passwordless, "wrong password"));
    expect([real.length, unknown.length, none.length], "one compare each").to.deep.equal([1, 1, 1]);
    expect(bcrypt.getRounds(unknown[0]!), "the dummy hash costs what a real one does").to.equal(bcrypt.getRounds(real[0]!));
    expect(bcrypt.getRounds(none[0]!)).to.equal(bcrypt.getRounds(real[0]!));
  });

  it("when the email is unknown, the password wrong, or the user has no password, then the answer is the same 401 INVALID_CREDENTIALS", async () => {
    const known = await newUser(PASSWORD);
    const passwordless = await newUser();
    const answers = await Promise.all([login(known, "wrong password"), login(`nobody-${randomUUID()}@test.flashsale`, PASSWORD), login(passwordless, "")]);
    const seen = answers.map((a) => ({ status: a.status, type: a.type, body: a.body }));
    expect(seen[0]).to.deep.include({ status: 401 });
    expect(seen[0]!.body.code).to.equal("INVALID_CREDENTIALS");
    expect(seen[1]).to.deep.equal(seen[0]);
    expect(seen[2]).to.deep.equal(seen[0]);
    expect((await login(known.toUpperCase(), PASSWORD)).status, "the right password still works").to.equal(200);
  });

  it("when 20 logins with a known email and 20 with an unknown one are timed, then their medians are within a factor of 2", async () => {
    const known = await newUser(PASSWORD);
    const times = { known: [] as number[], unknown: [] as number[] };
    await login(known, "warm-up");
    // Interleaved, so that any drift of the machine falls on both sides alike.
    for (let i = 0; i < 20; i++) {
      for (const kind of ["known", "unknown"] as const) {
        const email = kind === "known" ? known : `nobody-${randomUUID()}@test.flashsale`;
        const t0 = performance.now();
        expect((await login(email, "wrong password")).status).to.equal(401);
        times[kind].push(performance.now() - t0);
      }
    }
    const ratio = median(times.unknown) / median(times.known);
    console.log(`      login medians: known ${median(times.known).toFixed(1)} ms, unknown ${median(times.unknown).toFixed(1)} ms (ratio ${ratio.toFixed(2)})`);
    expect(ratio).to.be.within(0.5, 2);
  });
});

describe("security headers", function () {
  it("when any answer goes out (success, 401, 404, 400, 415), then helmet's headers are on it and x-powered-by is not", async () => {
    const s = stack();
    const answers = [
      await send(s.url, { method: "GET", path: "/healthz" }),
      await send(s.url, { method: "GET", path: "/items" }),
      await send(s.url, { method: "POST", path: "/orders" }),
      await send(s.url, { method: "GET", path: `/items/${randomUUID()}` }),
      await send(s.url, { method: "GET", path: "/no/such/route" }),
      await send(s.url, { method: "GET", path: "/items/not-a-uuid" }),
      await send(s.url, { method: "POST", path: "/auth/token", headers: { "content-type": "text/plain" }, body: "x" }),
    ];
    for (const a of answers) {
      const h = (name: string) => a.headers.get(name);
      const ctx = `${a.status} ${a.text.slice(0, 80)}`;
      expect(h("x-content-type-options"), ctx).to.equal("nosniff");
      expect(h("x-frame-options"), ctx).to.equal("SAMEORIGIN");
      expect(h("content-security-policy"), ctx).to.include("default-src 'self'");
      expect(h("strict-transport-security"), ctx).to.match(/max-age=\d+/);
      expect(h("referrer-policy"), ctx).to.equal("no-referrer");
      expect(h("cross-origin-opener-policy"), ctx).to.equal("same-origin");
      expect(h("cross-origin-resource-policy"), ctx).to.equal("same-origin");
      expect(h("x-dns-prefetch-control"), ctx).to.equal("off");
      expect(h("x-permitted-cross-domain-policies"), ctx).to.equal("none");
      expect(h("x-powered-by"), ctx).to.equal(null);
      assertWellFormed(a, ctx);
    }
  });
});
