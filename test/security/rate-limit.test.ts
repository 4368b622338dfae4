import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack as sharedStack } from "../support/hooks";
import { call, type Reply } from "../support/http";
import { makeItem, order } from "../support/fixtures";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { waitFor } from "../support/wait";
import { assertWellFormed } from "./refusal-checks";

// The API trusts X-Forwarded-For from loopback (a local proxy), so each test speaks from its own address.
let lastOctet = 0;
const newAddress = () => `198.51.100.${++lastOctet}`;
const from = (ip: string) => ({ "x-forwarded-for": ip });

/** Checks a 429 fully: problem+json RATE_LIMITED, Retry-After a whole number of seconds ≥ 1. */
function assertLimited(r: Reply): void {
  assertWellFormed({ status: r.status, type: r.headers.get("content-type") ?? "", headers: r.headers, text: r.text, body: r.body }, "429");
  expect(r.body.code).to.equal("RATE_LIMITED");
  expect(r.headers.get("retry-after"), "Retry-After").to.match(/^[1-9]\d*$/);
}

/** Splits a burst into accepted (202) and refused (429); nothing else may come back. */
function tally(replies: Reply[]) {
  const accepted = replies.filter((r) => r.status === 202);
  const refused = replies.filter((r) => r.status === 429);
  expect(accepted.length + refused.length, replies.map((r) => `${r.status} ${r.text}`).join("\n")).to.equal(replies.length);
  refused.forEach(assertLimited);
  return { accepted: accepted.length, refused: refused.length };
}

async function remainingOf(s: Stack, itemId: string): Promise<number | null | undefined> {
  return (await s.api.deps.gate.remaining([itemId])).get(itemId);
}

describe("rate limits (3 per buyer per second, 5 per address per second)", function () {
  this.timeout(60_000);
  let s: Stack;

  before(async () => {
    s = await startStack({ workers: 0, env: { RATE_LIMIT_USER_PER_SEC: "3", RATE_LIMIT_IP_PER_SEC: "5", ...isolatedQueue() } });
  });
  after(async () => {
    await s?.stop();
  });

  it("when one buyer sends 10 orders at once from 10 addresses, then 3 to 6 are accepted (one or two windows), the rest are 429 with Retry-After and reserve nothing", async () => {
    const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
    const buyer = await makeBuyer(s);
    const replies = await Promise.all(Array.from({ length: 10 }, () => order(s, buyer.token, item.id, 1, from(newAddress()))));
    const { accepted, refused } = tally(replies);
    expect(accepted).to.be.within(3, 6);
    expect(refused).to.be.at.least(4);
    expect(await remainingOf(s, item.id), "units reserved only for the 202s").to.equal(100 - accepted);
  });

  it("when a buyer was refused, then once the window passes it may order again", async () => {
    const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
    const buyer = await makeBuyer(s);
    const burst = await Promise.all(Array.from({ length: 8 }, () => order(s, buyer.token, item.id, 1, from(newAddress()))));
    const before = tally(burst).accepted;
    await waitFor("an order accepted after the window", async () => (await order(s, buyer.token, item.id, 1, from(newAddress()))).status === 202, 5_000, 100);
    expect(await remainingOf(s, item.id), "only the 202s reserved").to.equal(100 - before - 1);
  });

  it("when 12 buyers order at once from one address, then 5 to 10 are accepted and the refused reserve nothing", async () => {
    const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
    const buyers = await Promise.all(Array.from({ length: 12 }, () => makeBuyer(s)));
    const ip = newAddress();
    const { accepted, refused } = tally(await Promise.all(buyers.map((b) => order(s, b.token, item.id, 2, from(ip)))));
    expect(accepted).to.be.within(5, 10);
    expect(refused).to.be.at.least(2);
    expect(await remainingOf(s, item.id)).to.equal(100 - 2 * accepted);
    const elsewhere = await order(s, buyers[0]!.token, item.id, 1, from(newAddress()));
    expect(elsewhere.status, "another address has its own allowance").to.equal(202);
  });

  it("when a buyer is over the limit, then even a malformed or oversized order is 429 (rate limit comes before body checks)", async () => {
    const buyer = await makeBuyer(s);
    const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
    const headers = { ...from(newAddress()), "content-type": "text/plain" };
    // Retried as a whole only if a window happened to end between the burst and the bad requests.
    await waitFor("429s for bad bodies while over the limit", async () => {
      await Promise.all(Array.from({ length: 6 }, () => order(s, buyer.token, item.id, 1, from(newAddress()))));
      const malformed = await call(s.url, "POST", "/orders", { token: buyer.token, raw: "{nope", headers });
      const oversized = await call(s.url, "POST", "/orders", { token: buyer.token, raw: "x".repeat(2 * 1024 * 1024), headers });
      return malformed.status === 429 && oversized.status === 429 && [malformed, oversized];
    }, 10_000, 0).then((replies) => replies.forEach(assertLimited));
  });

  it("when an unauthenticated flood hits POST /orders, then every answer is 401, not 429, and the address's allowance is untouched", async () => {
    const ip = newAddress();
    const flood = await Promise.all(Array.from({ length: 20 }, () => call(s.url, "POST", "/orders", { body: { items: [] }, headers: from(ip) })));
    expect(flood.map((r) => r.status)).to.deep.equal(Array(20).fill(401));
    const forged = await Promise.all(Array.from({ length: 10 }, () => call(s.url, "POST", "/orders", { token: "x.y.z", body: {}, headers: from(ip) })));
    expect(forged.map((r) => r.status)).to.deep.equal(Array(10).fill(401));
    const item = await makeItem(s, { stock: 5 });
    const buyer = await makeBuyer(s);
    expect((await order(s, buyer.token, item.id, 1, from(ip))).status).to.equal(202);
  });

  it("when an operator floods POST /orders (a buyer route), then every answer is 403, not 429", async () => {
    const ip = newAddress();
    const item = await makeItem(s, { stock: 5 });
    const flood = await Promise.all(Array.from({ length: 20 }, () => order(s, s.operator, item.id, 1, from(ip))));
    expect(flood.map((r) => r.status)).to.deep.equal(Array(20).fill(403));
    expect(await remainingOf(s, item.id)).to.equal(5);
  });

  it("when one address tries 10 logins at once, then 5 to 10 are answered and the rest are 429; another address still logs in", async () => {
    const email = `rl-${randomUUID()}@test.flashsale`;
    expect((await call(s.url, "POST", "/users", { token: s.operator, body: { email, password: "correct horse battery" } })).status).to.equal(201);
    const ip = newAddress();
    // Ten different accounts, so the per-account login limit (3/s here) does not mix in.
    const replies = await Promise.all(
      Array.from({ length: 10 }, () => call(s.url, "POST", "/auth/token", { body: { email: `rl-${randomUUID()}@test.flashsale`, password: "wrong password!" }, headers: from(ip) })),
    );
    const answered = replies.filter((r) => r.status === 401);
    answered.forEach((r) => expect(r.body.code).to.equal("INVALID_CREDENTIALS"));
    replies.filter((r) => r.status === 429).forEach(assertLimited);
    expect(answered.length).to.be.within(5, 10);
    expect(answered.length + replies.filter((r) => r.status === 429).length).to.equal(10);
    const ok = await call(s.url, "POST", "/auth/token", { body: { email, password: "correct horse battery" }, headers: from(newAddress()) });
    expect(ok.status, ok.text).to.equal(200);
  });
});

describe("rate limits turned off (0)", function () {
  this.timeout(60_000);

  it("when both limits are 0, then 30 orders of one buyer from one address at once are all accepted", async () => {
    const s = sharedStack();
    const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
    const buyer = await makeBuyer(s, { USD: 1_000_000 });
    const replies = await Promise.all(Array.from({ length: 30 }, () => order(s, buyer.token, item.id)));
    expect(replies.map((r) => r.status)).to.deep.equal(Array(30).fill(202));
  });

  it("when both limits are 0, then 6 logins from one address at once are all answered", async () => {
    const s = sharedStack();
    const replies = await Promise.all(Array.from({ length: 6 }, () => call(s.url, "POST", "/auth/token", { body: { email: "nobody@test.flashsale", password: "x" } })));
    expect(replies.map((r) => r.status)).to.deep.equal(Array(6).fill(401));
  });

  it("when only the per-buyer limit is 0, then one buyer is not limited but its address still is", async () => {
    const s = await startStack({ workers: 0, env: { RATE_LIMIT_USER_PER_SEC: "0", RATE_LIMIT_IP_PER_SEC: "4", ...isolatedQueue() } });
    try {
      const item = await makeItem(s, { stock: 100, maxPerUser: 100 });
      const buyer = await makeBuyer(s);
      const spread = await Promise.all(Array.from({ length: 12 }, () => order(s, buyer.token, item.id, 1, from(newAddress()))));
      expect(spread.map((r) => r.status)).to.deep.equal(Array(12).fill(202));
      const ip = newAddress();
      const { refused } = tally(await Promise.all(Array.from({ length: 12 }, () => order(s, buyer.token, item.id, 1, from(ip)))));
      expect(refused).to.be.at.least(4);
    } finally {
      await s.stop();
    }
  });
});
