import { createHmac, generateKeyPairSync, randomUUID } from "node:crypto";
import { expect } from "chai";
import jwt from "jsonwebtoken";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { isolatedQueue, startStack, type Stack } from "../support/stack";
import { assertWellFormed, send } from "./refusal-checks";

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
const now = () => Math.floor(Date.now() / 1000);
const secret = () => stack().cfg.jwt.secret!;
/** A token built by hand, for claims and headers jsonwebtoken itself would refuse to sign. */
const raw = (header: object, claims: unknown, key: string) => {
  const signed = `${b64(header)}.${b64(claims)}`;
  return `${signed}.${createHmac("sha256", key).update(signed).digest("base64url")}`;
};
const hs = (claims: object, key = secret(), algorithm: jwt.Algorithm = "HS256") => jwt.sign(claims, key, { algorithm });

/** GET the subject's own balance with the token: 200 when accepted, else it must be a clean 401. */
async function balanceWith(s: Stack, token: string, sub: string) {
  const a = await send(s.url, { method: "GET", path: `/users/${sub}/balance`, headers: { authorization: `Bearer ${token}` } });
  assertWellFormed(a, "GET balance");
  if (a.status !== 200) expect(a.body.code, a.text).to.equal("UNAUTHENTICATED");
  return a.status;
}

describe("authentication attacks: forged and unusable tokens", function () {
  this.timeout(60_000);
  const sub = randomUUID();

  it("when a well-signed HS256 buyer token is used, then its own balance is readable (the baseline the attacks vary)", async () => {
    expect(await balanceWith(stack(), hs({ sub }), sub)).to.equal(200);
  });

  it("when the token says alg none (any spelling, with or without a signature), then 401", async () => {
    const good = hs({ sub, role: "operator" });
    for (const alg of ["none", "None", "NONE", "nOnE", ""]) {
      const unsigned = `${b64({ alg, typ: "JWT" })}.${b64({ sub, role: "operator", exp: now() + 600 })}`;
      expect(await balanceWith(stack(), `${unsigned}.`, sub), alg).to.equal(401);
      expect(await balanceWith(stack(), `${unsigned}.${good.split(".")[2]}`, sub), alg).to.equal(401);
    }
  });

  it("when the token is signed with another secret, another HMAC size, or has its payload swapped, then 401", async () => {
    expect(await balanceWith(stack(), hs({ sub }, "another-secret-of-enough-length"), sub)).to.equal(401);
    expect(await balanceWith(stack(), hs({ sub }, secret(), "HS384"), sub)).to.equal(401);
    expect(await balanceWith(stack(), hs({ sub }, secret(), "HS512"), sub)).to.equal(401);
    const [h, , sig] = hs({ sub, role: "buyer" }).split(".");
    expect(await balanceWith(stack(), `${h}.${b64({ sub, role: "operator" })}.${sig}`, sub)).to.equal(401);
  });

  it("when the token is expired, not yet valid (nbf), or has a non-numeric exp, then 401", async () => {
    expect(await balanceWith(stack(), hs({ sub, exp: now() - 30 }), sub)).to.equal(401);
    expect(await balanceWith(stack(), hs({ sub, exp: now() + 600, nbf: now() + 300 }), sub)).to.equal(401);
    expect(await balanceWith(stack(), raw({ alg: "HS256" }, { sub, exp: "tomorrow" }, secret()), sub)).to.equal(401);
    expect(await balanceWith(stack(), raw({ alg: "HS256" }, { sub, nbf: now() + 300 }, secret()), sub)).to.equal(401);
  });

  it("when the token is garbage (not three parts, not base64, not JSON, huge), then 401", async () => {
    const garbage = ["x", "a.b.c", "....", "e30.e30.e30", `${b64("str")}.${b64("str")}.x`, `${b64([1])}.${b64(null)}.`, "ey".repeat(4000), hs({ sub }).split(".").reverse().join(".")];
    for (const g of garbage) expect(await balanceWith(stack(), g, sub), g.slice(0, 30)).to.equal(401);
  });

  it("when the subject is not a user id (missing, a name, a number, a path, an injection), or the role is unknown, then 401", async () => {
    for (const bad of [undefined, "admin", 1, "../../users", `${sub}' OR '1'='1`, `${sub}\u0000`, [sub], { id: sub }]) {
      const token = raw({ alg: "HS256", typ: "JWT" }, bad === undefined ? {} : { sub: bad }, secret());
      expect(await balanceWith(stack(), token, sub), String(bad)).to.equal(401);
    }
    for (const role of ["admin", "OPERATOR", ["operator"], { operator: true }]) {
      expect(await balanceWith(stack(), hs({ sub, role }), sub), JSON.stringify(role)).to.equal(401);
    }
  });

  it("when an RS256 token arrives and no public key is configured, then 401 (no key is taken from the token's header)", async () => {
    const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const jwk = publicKey.export({ format: "jwk" });
    const token = jwt.sign({ sub }, privateKey, { algorithm: "RS256", header: { alg: "RS256", jwk, jku: "http://127.0.0.1:1/jwks.json" } as jwt.JwtHeader });
    expect(await balanceWith(stack(), token, sub)).to.equal(401);
  });
});

describe("authentication attacks: RS256 and HS/RS confusion (stack with JWT_PUBLIC_KEY)", function () {
  this.timeout(60_000);
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const pem = publicKey.export({ type: "spki", format: "pem" }).toString();
  const sub = randomUUID();
  let s: Stack;

  before(async () => {
    s = await startStack({ workers: 0, env: { JWT_PUBLIC_KEY: pem, ...isolatedQueue() } });
  });
  after(async () => {
    await s?.stop();
  });

  it("when a real RS256 token signed with the private key is used, then it is accepted", async () => {
    expect(await balanceWith(s, jwt.sign({ sub }, privateKey, { algorithm: "RS256" }), sub)).to.equal(200);
  });

  it("when an HS256 token uses the PEM public key text as its HMAC secret (HS/RS confusion), then 401", async () => {
    for (const key of [pem, pem.trim(), pem.replace(/\n/g, "\\n")]) {
      expect(await balanceWith(s, raw({ alg: "HS256", typ: "JWT" }, { sub, role: "operator" }, key), sub)).to.equal(401);
    }
  });

  it("when an RS256 token is signed by another key pair, or uses PS256/RS512 with the right key, then 401", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    expect(await balanceWith(s, jwt.sign({ sub }, other, { algorithm: "RS256" }), sub)).to.equal(401);
    expect(await balanceWith(s, jwt.sign({ sub }, privateKey, { algorithm: "PS256" }), sub)).to.equal(401);
    expect(await balanceWith(s, jwt.sign({ sub }, privateKey, { algorithm: "RS512" }), sub)).to.equal(401);
  });
});

describe("authentication attacks: issuer and audience (stack with JWT_ISSUER and JWT_AUDIENCE)", function () {
  this.timeout(60_000);
  const iss = "https://id.flashsale.test/";
  const aud = "flashsale-api";
  const sub = randomUUID();
  let s: Stack;

  before(async () => {
    s = await startStack({ workers: 0, env: { JWT_ISSUER: iss, JWT_AUDIENCE: aud, ...isolatedQueue() } });
  });
  after(async () => {
    await s?.stop();
  });

  it("when the issuer and audience match, then the token is accepted, including one from POST /auth/token", async () => {
    expect(await balanceWith(s, hs({ sub, iss, aud }, s.cfg.jwt.secret), sub)).to.equal(200);
    const email = `iss-${randomUUID()}@test.flashsale`;
    const made = await call(s.url, "POST", "/users", { token: s.operator, body: { email, password: "a long enough password" } });
    const login = await call(s.url, "POST", "/auth/token", { body: { email, password: "a long enough password" } });
    expect(login.status, login.text).to.equal(200);
    expect(await balanceWith(s, login.body.accessToken, made.body.id)).to.equal(200);
  });

  it("when the issuer or audience is wrong or missing, then 401", async () => {
    const cases = [{ aud }, { iss }, { iss: "https://evil.test/", aud }, { iss, aud: "other-api" }, { iss, aud: [aud.toUpperCase()] }, { iss: `${iss}x`, aud }];
    for (const claims of cases) expect(await balanceWith(s, hs({ sub, ...claims }, s.cfg.jwt.secret), sub), JSON.stringify(claims)).to.equal(401);
  });
});
