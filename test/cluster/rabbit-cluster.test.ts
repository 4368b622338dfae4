import { expect } from "chai";
import { queueNames } from "@flashsale/queue";
import { findItem } from "@flashsale/db";
import { isolatedQueue, makeBuyer, makeBuyers, startStack, type Stack } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { queueCounts } from "../support/broker";
import { clusterUnavailable, RabbitCluster, skippedWithoutRabbitCluster } from "../support/rabbit-cluster";
import { call } from "../support/http";
import { waitFor } from "../support/wait";
import { liveSale, type SaleReply } from "../support/live-sale";

const SUITE = "a 3-node RabbitMQ cluster";

describe(SUITE, function () {
  this.timeout(180_000);
  let cluster: RabbitCluster | undefined;
  let s: Stack | undefined;

  before(async function () {
    const why = clusterUnavailable();
    if (why) {
      skippedWithoutRabbitCluster.push({ suite: SUITE, tests: this.test!.parent!.tests.length, reason: why });
      this.skip();
    }
    const t0 = Date.now();
    cluster = await RabbitCluster.start(3);
    console.log(`      rabbit cluster: 3 nodes started and joined in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    s = await startStack({ workers: 2, env: { ...isolatedQueue(), RABBITMQ_URLS: cluster.urls.join(",") } });
  });
  after(async () => {
    await s?.stop();
    await cluster?.stop();
  });

  it("when the stack runs on the cluster, then every queue is a quorum queue on all three nodes, the retry queues dead-letter at least once with reject-publish, and an order settles", async () => {
    const n = queueNames(s!.cfg.queue.prefix, s!.cfg.queue.type);
    const settle = (await cluster!.queue(n.settleQueue))!;
    expect(settle.type).to.equal("quorum");
    expect(settle.members).to.have.members(cluster!.nodes.map((x) => x.name));
    expect((await cluster!.queue(n.deadQueue))!.type).to.equal("quorum");
    for (const [i, delay] of s!.cfg.queue.retryDelaysMs.entries()) {
      const retry = (await cluster!.queue(n.retryQueue(i)))!;
      expect(retry.type, retry.name).to.equal("quorum");
      expect(retry.members).to.have.length(3);
      expect(retry.arguments).to.include({ "x-message-ttl": delay, "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish", "x-dead-letter-exchange": n.exchange, "x-dead-letter-routing-key": n.settleKey });
    }
    const item = await makeItem(s!, { stock: 2 });
    const buyer = await makeBuyer(s!);
    const r = await order(s!, buyer.token, item.id);
    expect(r.status, r.text).to.equal(202);
    await waitFor("settled", async () => (await s!.api.deps.db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED");
    // GET /metrics reads the queue through the API's connection to the cluster.
    const m = await call(s!.url, "GET", "/metrics", { token: s!.operator });
    expect(m.status, m.text).to.equal(200);
    expect(m.body.queue).to.deep.equal({ depth: 0, consumers: 2, deadLettered: 0 });
  });

  it("when settling fails twice (a transient database error), then the order goes through the quorum retry queues and completes, charged once", async () => {
    const db = s!.api.deps.db;
    const item = await makeItem(s!, { stock: 3, name: `flaky-${Date.now()}` });
    const tag = item.id.replace(/-/g, "");
    // A real database error on the first two settles only: a sequence counts the attempts
    // (nextval is not rolled back with the failed transaction).
    await db.$executeRawUnsafe(`CREATE SEQUENCE flaky_${tag}`);
    await db.$executeRawUnsafe(`
      CREATE FUNCTION flaky_${tag}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF nextval('flaky_${tag}') <= 2 THEN RAISE EXCEPTION 'transient'; END IF; RETURN NEW; END $$`);
    await db.$executeRawUnsafe(`
      CREATE TRIGGER flaky_${tag} BEFORE UPDATE ON item_stock_buckets
      FOR EACH ROW WHEN (OLD.item_id = '${item.id}') EXECUTE FUNCTION flaky_${tag}()`);
    try {
      const buyer = await makeBuyer(s!);
      const r = await order(s!, buyer.token, item.id);
      expect(r.status, r.text).to.equal(202);
      await waitFor("COMPLETED after two retries", async () => (await db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED", 20_000);
      const seq = await db.$queryRawUnsafe<{ n: bigint }[]>(`SELECT last_value AS n FROM flaky_${tag}`);
      expect(Number(seq[0]!.n), "settle attempts").to.equal(3);
      const m = await moneyOf(s!, buyer.id);
      expect(m.ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(1);
      expect(m.wallet("USD")).to.equal(100_000 - 2500);
      expect((await queueCounts(s!.cfg.queue.prefix, cluster!.urls)).dead).to.equal(0);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER flaky_${tag} ON item_stock_buckets`);
      await db.$executeRawUnsafe(`DROP FUNCTION flaky_${tag}()`);
      await db.$executeRawUnsafe(`DROP SEQUENCE flaky_${tag}`);
    }
  });

  it("when the node leading the settle queue is stopped during a live sale and started again, then publishes move to another node and every 202 settles exactly once: nothing lost, oversold or charged twice", async () => {
    const stack = s!;
    const db = stack.api.deps.db;
    // Enough buyers, each with funds for one unit, and units for all of them: the sale outlasts
    // both rounds, and every 202 must end COMPLETED.
    const stock = 4000;
    const price = 1000;
    const item = await makeItem(stack, { stock, price });
    const buyers = await makeBuyers(stack, stock, 5000);
    const sale = liveSale(stack, buyers, item.id);
    const settleQueue = queueNames(stack.cfg.queue.prefix, stack.cfg.queue.type).settleQueue;
    const rounds: string[] = [];

    await waitFor("the sale under way", () => sale.accepted() >= 20, 20_000);
    // Twice: the clients have moved once already when the second leader stops.
    for (let round = 1; round <= 2; round++) {
      const leaderName = (await cluster!.queue(settleQueue))!.leader;
      const leader = cluster!.node(leaderName);
      const other = cluster!.nodes.find((x) => x !== leader)!;
      const before = sale.accepted();
      const t0 = Date.now();
      await cluster!.stopNode(leader);
      const stoppedMs = Date.now() - t0;
      await waitFor("a new leader", async () => ((await cluster!.queue(settleQueue, other))?.leader ?? leaderName) !== leaderName, 30_000, 200);
      await waitFor("orders accepted with the leader down", () => sale.accepted() >= before + 20, 30_000);
      const whileDown = sale.accepted() - before;
      const t1 = Date.now();
      await cluster!.startNode(leader);
      await waitFor("the restarted node back among the settle queue's replicas", async () => (await cluster!.queue(settleQueue, leader))?.online.includes(leaderName), 30_000, 200);
      const restartMs = Date.now() - t1;
      const back = sale.accepted();
      await waitFor("orders accepted after the restart", () => sale.accepted() >= back + 20, 30_000);
      rounds.push(`round ${round}: leader ${leaderName.split("@")[0]} stopped in ${(stoppedMs / 1000).toFixed(1)} s, ${whileDown} accepted while it was down, back in ${(restartMs / 1000).toFixed(1)} s`);
    }
    expect(sale.done(), "the sale outlasted the faults").to.equal(false);
    const replies = await sale.stop();

    const accepted = replies.filter((r) => r.status === 202);
    const refused503 = replies.filter((r) => r.status === 503);
    // Units and funds for every buyer: each request is accepted, or refused 503 while the broker cannot confirm.
    expect(replies.filter((r) => r.status !== 202 && r.status !== 503).map((r) => `${r.status} ${r.code}`)).to.deep.equal([]);
    const ids = accepted.map((r) => r.orderId!);
    await waitFor(
      "every accepted order final",
      async () => (await db.order.count({ where: { id: { in: ids }, status: { in: ["COMPLETED", "REJECTED", "FAILED"] } } })) === ids.length,
      60_000,
      200,
    );
    await waitFor("the settle queue drained", async () => (await queueCounts(stack.cfg.queue.prefix, cluster!.urls)).settle === 0, 30_000, 200);
    expect((await queueCounts(stack.cfg.queue.prefix, cluster!.urls)).consumers, "both workers consuming again").to.equal(2);

    // Nothing lost: every 202 has its row, COMPLETED (funds and stock were there for all).
    const rows = await db.order.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
    expect(rows).to.have.length(ids.length);
    expect(rows.filter((o) => o.status !== "COMPLETED").map((o) => `${o.id} ${o.status}`)).to.deep.equal([]);
    // Never oversold: the database and Redis agree on what is left, and it is stock minus the 202s.
    const row = (await findItem(db, item.id))!;
    expect(row.remaining).to.equal(stock - ids.length);
    expect((await stack.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(stock - ids.length);
    // No one charged twice, and every wallet equals its ledger: a buyer with a 202 paid once; any other paid nothing.
    const paid = new Set(accepted.map((r) => r.buyer.id));
    const money = await db.$queryRawUnsafe<{ id: string; amount: bigint; ledger: bigint; purchases: bigint }[]>(
      `SELECT w.user_id::text AS id, w.amount,
              (SELECT COALESCE(SUM(delta), 0)::bigint FROM ledger_entries l WHERE l.user_id = w.user_id AND l.currency = w.currency) AS ledger,
              (SELECT COUNT(*) FROM ledger_entries l WHERE l.user_id = w.user_id AND l.reason = 'PURCHASE') AS purchases
         FROM wallets w WHERE w.currency = 'USD' AND w.user_id = ANY($1::uuid[])`,
      replies.map((r) => r.buyer.id),
    );
    expect(money).to.have.length(replies.length);
    const wrong = money.filter((m) => {
      const bought = paid.has(m.id);
      return Number(m.purchases) !== (bought ? 1 : 0) || Number(m.amount) !== (bought ? 5000 - price : 5000) || Number(m.ledger) !== Number(m.amount);
    });
    expect(wrong.map((m) => `${m.id}: wallet ${m.amount}, ledger ${m.ledger}, ${m.purchases} purchases`)).to.deep.equal([]);
    // The 503s come in bursts (a second apart at most), one per stopped node whose clients had to move.
    const bursts: SaleReply[][] = [];
    for (const r of refused503) {
      const last = bursts.at(-1);
      if (last && r.at - last.at(-1)!.at < 1000) last.push(r);
      else bursts.push([r]);
    }
    const window = bursts.map((b) => `${b.length} over ${((b.at(-1)!.at - b[0]!.at) / 1000).toFixed(1)} s`).join(", ") || "none";
    console.log(
      `      rabbit failover: ${rounds.join("; ")}; ` +
        `${replies.length} answered, ${accepted.length} accepted, 503: ${window}; lost 0, doubled 0`,
    );
  });
});
