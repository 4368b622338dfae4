// An API and a worker with DATABASE_URL on a primary of the suite's own and DATABASE_REPLICA_URL
// on its streaming replica (test/support/pg-replica.ts), the run's Redis and RabbitMQ under a
// prefix and queues of their own. Replay paused on the replica is how a test sees which reads
// go where: a list that lacks a fresh row read the replica; a read that shows it, the primary.
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { call } from "../support/http";
import { waitFor } from "../support/wait";
import { deleteRedisKeys } from "../support/scratch-env";
import { PgReplicaPair, pgReplicaUnavailable, skippedWithoutPgReplica } from "../support/pg-replica";
import { parseConfig } from "@flashsale/config";

const SUITE = "a PostgreSQL streaming replica (DATABASE_REPLICA_URL)";

describe("DATABASE_REPLICA_URL", () => {
  const env = { NODE_ENV: "test", JWT_SECRET: "x".repeat(16) };
  it("when it is unset, then there is no replica; when set, then it is taken as given", () => {
    expect(parseConfig(env).databaseReplicaUrl).to.equal(undefined);
    expect(parseConfig({ ...env, DATABASE_REPLICA_URL: "postgres://reader@replica:5432/flashsale" }).databaseReplicaUrl).to.equal("postgres://reader@replica:5432/flashsale");
  });

  it("when it is malformed or empty, then the configuration is refused in one line naming it", () => {
    for (const bad of ["mysql://replica/flashsale", "replica:5432", ""]) {
      expect(() => parseConfig({ ...env, DATABASE_REPLICA_URL: bad })).to.throw("invalid configuration: DATABASE_REPLICA_URL must be a URL (postgresql: or postgres:)");
    }
  });
});

describe(SUITE, function () {
  this.timeout(60_000);
  const prefix = `${process.env.REDIS_PREFIX}replica-${randomUUID().slice(0, 8)}:`;
  let pair: PgReplicaPair | undefined;
  let s: Stack;

  before(async function () {
    this.timeout(120_000);
    let why = pgReplicaUnavailable();
    if (!why) {
      pair = new PgReplicaPair();
      why = await pair.start().then(() => null, (err: Error) => `the pair did not start: ${err.message.split("\n")[0]}`);
    }
    // TEST_REQUIRE_PG_REPLICA=1 (CI): a pair that cannot start fails the run instead.
    if (why && process.env.TEST_REQUIRE_PG_REPLICA) throw new Error(why);
    if (why) {
      skippedWithoutPgReplica.push({ suite: SUITE, tests: this.test!.parent!.tests.length, reason: why });
      pair = undefined;
      this.skip();
    }
    s = await startStack({ workers: 1, env: { ...isolatedQueue(), REDIS_PREFIX: prefix, DATABASE_URL: pair!.primaryUrl, DATABASE_REPLICA_URL: pair!.replicaUrl } });
  });
  afterEach(async () => {
    // A test that failed while replay was paused leaves it running for the next.
    await pair?.resumeReplay().catch(() => undefined);
  });
  after(async function () {
    this.timeout(60_000);
    await s?.stop();
    await pair?.stop();
    await deleteRedisKeys(prefix).catch((e: Error) => console.error(`cleanup redis: ${e.message}`));
  });

  const get = (path: string, token = s.operator) => call(s.url, "GET", path, { token });
  const historyIds = async (token: string) => ((await get("/orders?limit=200", token)).body.data as { id: string }[]).map((o) => o.id);
  const completedCount = async () => (await get("/metrics")).body.orderCounts.COMPLETED as number;

  it("when the replica lags, then a settled order is missing from history and metrics, the buyer's own order is never stale, and history catches up", async () => {
    const item = await makeItem(s, { stock: 5, price: 700 });
    const buyer = await makeBuyer(s, { USD: 5000 });
    await waitFor("the replica to catch up", () => pair!.caughtUp());
    const before = await completedCount();
    await pair!.pauseReplay();

    const placed = await order(s, buyer.token, item.id);
    expect(placed.status, placed.text).to.equal(202);
    const id = placed.body.id as string;
    // The buyer's own order and its status: the primary, COMPLETED as soon as the worker commits.
    const settled = await waitFor("the order COMPLETED", async () => {
      const r = await get(`/orders/${id}`, buyer.token);
      return r.body.status === "COMPLETED" && r;
    });
    expect(settled.body.completedAt).to.be.a("string");
    expect((await get(`/orders/${id}/status`, buyer.token)).body).to.deep.equal({ status: "COMPLETED" });
    expect((await get(`/users/${buyer.id}/balance`, buyer.token)).body.balances).to.deep.include({ currency: "USD", amount: 4300 });
    // History and metrics: the replica, which has not replayed the settle.
    expect(await historyIds(buyer.token)).to.not.include(id);
    expect(await completedCount()).to.equal(before);
    const [row] = await pair!.query<{ n: string }>("replica", `SELECT count(*) AS n FROM orders WHERE id = '${id}'`);
    expect(row!.n).to.equal("0");

    await pair!.resumeReplay();
    await waitFor("history to show the order", async () => (await historyIds(buyer.token)).includes(id), 10_000);
    expect(await completedCount()).to.equal(before + 1);
    // Nothing lost or charged twice on the way: one purchase in the ledger, as in the wallet.
    const ledger = (await get(`/users/${buyer.id}/ledger`, buyer.token)).body.data as { reason: string; delta: number }[];
    expect(ledger.filter((l) => l.reason === "PURCHASE").map((l) => l.delta)).to.deep.equal([-700]);
  });

  it("when a sale settles while the replica lags, then each buyer's order is final on the primary at once, history shows none of it until replay resumes, then all of it, and the replica's books balance", async () => {
    const item = await makeItem(s, { stock: 15, price: 500 });
    const buyers = await Promise.all(Array.from({ length: 20 }, () => makeBuyer(s, { USD: 2000 })));
    await waitFor("the replica to catch up", () => pair!.caughtUp());
    const before = await completedCount();
    await pair!.pauseReplay();

    const replies = await Promise.all(buyers.map((b) => order(s, b.token, item.id)));
    const accepted = replies.flatMap((r, i) => (r.status === 202 ? [{ id: r.body.id as string, buyer: buyers[i]! }] : []));
    expect(accepted).to.have.length(15);
    expect(replies.filter((r) => r.status === 409).map((r) => r.body.code)).to.deep.equal(Array(5).fill("SOLD_OUT"));
    for (const a of accepted) {
      await waitFor("the order COMPLETED", async () => (await get(`/orders/${a.id}/status`, a.buyer.token)).body.status === "COMPLETED");
    }
    const itemHistory = async () => ((await get(`/orders?itemId=${item.id}&limit=200`)).body.data as { id: string; status: string }[]);
    expect(await itemHistory()).to.deep.equal([]);
    expect(await completedCount()).to.equal(before);

    await pair!.resumeReplay();
    await waitFor("history to show the sale", async () => (await itemHistory()).length === 15, 10_000);
    const listed = await itemHistory();
    expect(listed.map((o) => o.id).sort()).to.deep.equal(accepted.map((a) => a.id).sort());
    expect(listed.every((o) => o.status === "COMPLETED")).to.equal(true);
    expect(await completedCount()).to.equal(before + 15);
    // The replica replays whole transactions: on it too, no unit oversold and every balance is its ledger's sum.
    const ids = buyers.map((b) => `'${b.id}'`).join(",");
    const [sold] = await pair!.query<{ n: string }>("replica", `SELECT coalesce(sum(l.quantity), 0) AS n FROM order_lines l JOIN orders o ON o.id = l.order_id WHERE l.item_id = '${item.id}' AND o.status = 'COMPLETED'`);
    expect(Number(sold!.n)).to.equal(15);
    const books = await pair!.query<{ amount: string; ledger: string }>("replica", `SELECT w.amount, (SELECT sum(delta) FROM ledger_entries e WHERE e.user_id = w.user_id AND e.currency = w.currency) AS ledger FROM wallets w WHERE w.user_id IN (${ids}) AND w.currency = 'USD'`);
    expect(books).to.have.length(20);
    for (const b of books) expect(b.amount).to.equal(b.ledger);
    expect(books.map((b) => Number(b.amount)).filter((a) => a === 1500)).to.have.length(15);
  });

  it("when an operator credits a wallet while the replica lags, then the balance shows it at once and the ledger list catches up", async () => {
    const buyer = await makeBuyer(s, { USD: 1000 });
    await waitFor("the replica to catch up", () => pair!.caughtUp());
    await pair!.pauseReplay();

    const credit = await call(s.url, "POST", `/users/${buyer.id}/balance/credit`, { token: s.operator, body: { amount: 250, currency: "USD" } });
    expect(credit.status, credit.text).to.equal(200);
    expect(credit.body.amount).to.equal(1250);
    expect((await get(`/users/${buyer.id}/balance`, buyer.token)).body.balances).to.deep.equal([{ currency: "USD", amount: 1250 }]);
    const ledger = async () => (await get(`/users/${buyer.id}/ledger`, buyer.token)).body.data as { delta: number }[];
    expect((await ledger()).map((l) => l.delta)).to.deep.equal([1000]);

    await pair!.resumeReplay();
    await waitFor("the ledger to show the credit", async () => (await ledger()).length === 2, 10_000);
    expect((await ledger()).map((l) => l.delta)).to.deep.equal([250, 1000]);
  });

  it("when an item is created while the replica lags, then GET /items/:id answers at once and GET /items lists it once replay resumes", async () => {
    await pair!.pauseReplay();
    const item = await makeItem(s, { stock: 3 });
    const one = await get(`/items/${item.id}`);
    expect(one.status).to.equal(200);
    expect(one.body.remaining).to.equal(3);
    const listed = async () => ((await get("/items?limit=200")).body.data as { id: string }[]).some((i) => i.id === item.id);
    expect(await listed()).to.equal(false);

    await pair!.resumeReplay();
    await waitFor("GET /items to list the item", listed, 10_000);
  });

  it("when the replica stops answering, then a list waits at most its timeouts before the primary answers, the next lists go straight to the primary, and it is used again once it answers", async () => {
    const item = await makeItem(s, { stock: 2, price: 300, maxPerUser: 2 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    const placed = await order(s, buyer.token, item.id);
    expect(placed.status, placed.text).to.equal(202);
    await waitFor("history to show the order", async () => (await historyIds(buyer.token)).includes(placed.body.id));
    pair!.freezeReplica();
    try {
      const timed = async () => {
        const t0 = Date.now();
        expect(await historyIds(buyer.token)).to.include(placed.body.id);
        return Date.now() - t0;
      };
      // 1 s to connect or 3 s for a query on a pooled connection, then the primary.
      expect(await timed()).to.be.below(5000);
      expect(await timed()).to.be.below(1000);
      const ready = await get("/readyz");
      expect(ready.status).to.equal(200);
      expect(ready.body.checks.replica).to.equal("down");
    } finally {
      pair!.thawReplica();
    }
    await waitFor("/readyz to see the replica again", async () => (await get("/readyz")).body.checks?.replica === "ok", 15_000);
    await pair!.pauseReplay();
    const again = await order(s, buyer.token, item.id);
    expect(again.status, again.text).to.equal(202);
    await waitFor("the second order COMPLETED", async () => (await get(`/orders/${again.body.id}`, buyer.token)).body.status === "COMPLETED");
    expect(await historyIds(buyer.token)).to.not.include(again.body.id);
  });

  it("when the replica is down, then /readyz stays 200 naming it in checks, lists are served by the primary, and it is used again once back", async () => {
    const ready = await get("/readyz");
    expect(ready.status).to.equal(200);
    expect(ready.body.checks).to.deep.equal({ postgres: "ok", redis: "ok", rabbitmq: "ok", replica: "ok" });
    const item = await makeItem(s, { stock: 2, price: 300, maxPerUser: 2 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    await pair!.stopReplica();
    try {
      const placed = await order(s, buyer.token, item.id);
      expect(placed.status, placed.text).to.equal(202);
      await waitFor("the order COMPLETED", async () => (await get(`/orders/${placed.body.id}`, buyer.token)).body.status === "COMPLETED");
      // Read from the primary: fresh, although the replica is away.
      expect(await historyIds(buyer.token)).to.include(placed.body.id);
      expect((await get(`/users/${buyer.id}/ledger`, buyer.token)).body.data).to.have.length(2);
      expect((await get("/items?limit=200")).body.data.map((i: { id: string }) => i.id)).to.include(item.id);
      expect((await get("/metrics")).status).to.equal(200);
      const down = await get("/readyz");
      expect(down.status).to.equal(200);
      expect(down.body).to.deep.equal({ status: "ok", checks: { postgres: "ok", redis: "ok", rabbitmq: "ok", replica: "down" } });
    } finally {
      await pair!.startReplica();
    }
    await waitFor("/readyz to see the replica again", async () => (await get("/readyz")).body.checks?.replica === "ok", 15_000);
    await waitFor("the replica to catch up", () => pair!.caughtUp(), 15_000);
    // Replay paused again: the list is the replica's once more.
    await pair!.pauseReplay();
    const again = await order(s, buyer.token, item.id);
    expect(again.status, again.text).to.equal(202);
    await waitFor("the second order COMPLETED", async () => (await get(`/orders/${again.body.id}`, buyer.token)).body.status === "COMPLETED");
    expect(await historyIds(buyer.token)).to.not.include(again.body.id);
  });
});
