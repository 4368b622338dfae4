import { expect } from "chai";
import { startStack, type Stack } from "../support/stack";
import { call } from "../support/http";

describe("login attempts per account", function () {
  this.timeout(30_000);
  let s: Stack;
  before(async () => {
    s = await startStack({ workers: 0, env: { RATE_LIMIT_USER_PER_SEC: "3", RATE_LIMIT_IP_PER_SEC: "0" } });
  });
  after(async () => s.stop());

  it("when one account is tried more often than the per-user limit, then 429 RATE_LIMITED with Retry-After, while another account still answers 401", async () => {
    const email = `victim-${Date.now()}@example.com`;
    const tries = [];
    for (let i = 0; i < 6; i++) tries.push(await call(s.url, "POST", "/auth/token", { body: { email, password: `guess-${i}` } }));
    const limited = tries.filter((r) => r.status === 429);
    expect(limited.length).to.be.greaterThan(0);
    expect(limited[0]!.body.code).to.equal("RATE_LIMITED");
    expect(Number(limited[0]!.headers.get("retry-after"))).to.be.greaterThanOrEqual(1);
    expect(tries.filter((r) => r.status === 401).length).to.be.within(1, 3 * 2);
    const other = await call(s.url, "POST", "/auth/token", { body: { email: `other-${Date.now()}@example.com`, password: "whatever1" } });
    expect(other.status).to.equal(401);
    expect(other.body.code).to.equal("INVALID_CREDENTIALS");
  });
});
