// The longer checks of the Redis Cluster suite: every script and MULTI of the gate called
// directly on the cluster, and a live sale through a master's SIGKILL with the invariants read
// from PostgreSQL afterwards.
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { RateLimiterRedis } from "rate-limiter-flexible";
import { findItem } from "@flashsale/db";
import { itemSlot } from "@flashsale/reservations";
import { makeBuyers, type Stack } from "../support/stack";
import { makeItem } from "../support/fixtures";
import { waitFor } from "../support/wait";
import { call } from "../support/http";
import { liveSale } from "../support/live-sale";
import type { RedisCluster } from "../support/redis-cluster";

/** Calls each verb of the gate (each a Lua script or a MULTI on one slot) with lines on the given items' masters. */
export async function scriptsOnCluster(s: Stack, items: { id: string }[]): Promise<void> {
  const { gate, redis } = s.api.deps;
  const ids = items.map((i) => i.id);
  const userId = randomUUID();
  const now = new Date();
  const lines = ids.map((itemId) => ({ itemId, quantity: 1 }));

  // reserve.lua on three slots (and the record's lines HSET), then the key claim and its repeat.
  const whole = await gate.reserve({ userId, lines, now, idempotencyKey: "k1", requestHash: "h1" });
  expect(whole.kind).to.equal("reserved");
  const orderId = whole.orderId;
  expect(await gate.reserve({ userId, lines, now, idempotencyKey: "k1", requestHash: "h1" })).to.deep.equal({ kind: "duplicate", orderId });
  expect((await gate.pendingOrder(orderId))!.lines.map((l) => l.itemId)).to.deep.equal(ids);
  await gate.markQueued(orderId);
  expect((await gate.openOrders(now, ids)).pending).to.be.at.least(1);

  // begin-settle.lua, then finish-settle.lua in the home slot and end-lines.lua on the others.
  expect(await gate.beginSettle(orderId, now)).to.equal("OK");
  expect(await gate.finishSettle(orderId, "REJECTED", lines)).to.equal(true);
  expect([...(await gate.remaining(ids)).values()]).to.deep.equal([20, 20, 20]);

  // void-order.lua and end-lines.lua for an order whose publish failed.
  const voided = await gate.reserve({ userId, lines, now });
  expect(voided.kind).to.equal("reserved");
  expect(await gate.voidOrder({ id: (voided as { orderId: string }).orderId, userId, lines })).to.equal("released");
  expect([...(await gate.remaining(ids)).values()]).to.deep.equal([20, 20, 20]);

  // refund.lua per slot, against the epochs read first; restock.lua; load-item.lua (put and rebuild).
  const epochs = await gate.epochs(ids);
  expect([...epochs.values()].every(Boolean)).to.equal(true);
  expect(await gate.refund({ id: randomUUID(), userId, lines }, epochs)).to.equal("returned");
  expect([...(await gate.remaining(ids)).values()]).to.deep.equal([21, 21, 21]);
  expect(await gate.restock(ids[0]!, 2)).to.equal(23);
  const created = await makeItem(s, { stock: 7 });
  await redis.del(gate.keys.itemEpoch(created.id), gate.keys.itemMeta(created.id));
  await gate.rebuild([created.id]);
  expect((await gate.remaining([created.id])).get(created.id)).to.equal(7);
  await gate.rebuild();
  expect([...(await gate.remaining(ids)).values()]).to.deep.equal([23, 21, 21]);

  // rate-limiter-flexible's script, one key a call.
  const limiter = new RateLimiterRedis({ storeClient: redis, keyPrefix: gate.keys.rateLimit("check", "user"), points: 1, duration: 5 });
  await limiter.consume(userId);
  const second = await limiter.consume(userId).then(() => "allowed", () => "refused");
  expect(second).to.equal("refused");
}

/**
 * A live sale of one item while the master serving its slot is SIGKILLed: its replica is
 * promoted, then the killed node comes back as a replica. Checks every invariant the contract
 * lists and returns one line saying what the failover cost.
 */
export async function clusterInvariants(s: Stack, cluster: RedisCluster): Promise<string> {
  const db = s.api.deps.db;
  const stock = 3000;
  const price = 700;
  const item = await makeItem(s, { stock, price, maxPerUser: 1 });
  const buyers = await makeBuyers(s, stock, 1000);
  const sale = liveSale(s, buyers, item.id, 20);
  await waitFor("the sale under way", () => sale.accepted() >= 50, 20_000);

  const master = await cluster.masterOf(itemSlot(item.id));
  const before = sale.accepted();
  await cluster.killNode(master.port);
  const failoverMs = await cluster.waitForFailover(master.port);
  await waitFor("orders accepted again after the failover", () => sale.accepted() >= before + 50, 60_000);
  await cluster.restartNode(master.port);
  const replies = await sale.stop();

  const accepted = replies.filter((r) => r.status === 202);
  const refused503 = replies.filter((r) => r.status === 503);
  // Units, funds and allowance for every buyer: a request is accepted, or refused 503 while its slot has no master.
  expect(replies.filter((r) => r.status !== 202 && r.status !== 503).map((r) => `${r.status} ${r.code}`)).to.deep.equal([]);
  const ids = accepted.map((r) => r.orderId!);
  await waitFor("every accepted order final", async () => (await db.order.count({ where: { id: { in: ids }, status: { in: ["COMPLETED", "REJECTED", "FAILED"] } } })) === ids.length, 90_000, 200);

  // Nothing lost and nothing oversold: every 202 has its row; the units COMPLETED orders took are what PostgreSQL lacks.
  const rows = await db.order.findMany({ where: { id: { in: ids } }, select: { status: true } });
  expect(rows).to.have.length(ids.length);
  const completed = rows.filter((o) => o.status === "COMPLETED").length;
  expect(completed).to.be.at.most(stock);
  expect((await findItem(db, item.id))!.remaining).to.equal(stock - completed);
  // No buyer past the limit, nobody charged twice, and every wallet equals its ledger.
  const money = await db.$queryRawUnsafe<{ id: string; amount: bigint; ledger: bigint; purchases: bigint; held: number | null }[]>(
    `SELECT w.user_id::text AS id, w.amount,
            (SELECT COALESCE(SUM(delta), 0)::bigint FROM ledger_entries l WHERE l.user_id = w.user_id AND l.currency = w.currency) AS ledger,
            (SELECT COUNT(*) FROM ledger_entries l WHERE l.user_id = w.user_id AND l.reason = 'PURCHASE') AS purchases,
            (SELECT quantity FROM holdings h WHERE h.user_id = w.user_id AND h.item_id = $2::uuid) AS held
       FROM wallets w WHERE w.currency = 'USD' AND w.user_id = ANY($1::uuid[])`,
    replies.map((r) => r.buyer.id),
    item.id,
  );
  expect(money).to.have.length(replies.length);
  const paid = new Set(accepted.map((r) => r.buyer.id));
  const wrong = money.filter((m) => Number(m.purchases) > (paid.has(m.id) ? 1 : 0) || (m.held ?? 0) > 1 || Number(m.ledger) !== Number(m.amount) || Number(m.amount) !== 1000 - Number(m.purchases) * price);
  expect(wrong.map((m) => `${m.id}: wallet ${m.amount}, ledger ${m.ledger}, ${m.purchases} purchases, holds ${m.held}`)).to.deep.equal([]);

  const window = refused503.length ? `${refused503.length} refused 503 over ${((refused503.at(-1)!.at - refused503[0]!.at) / 1000).toFixed(1)} s` : "no 503";
  const redisLeft = (await s.api.deps.gate.remaining([item.id])).get(item.id);
  return `master :${master.port} killed, replica promoted in ${(failoverMs / 1000).toFixed(1)} s; ${replies.length} answered, ${accepted.length} accepted (${before} before the kill), ${window}; ${completed} completed, ${ids.length - completed} rejected; lost 0, doubled 0, oversold 0; remaining ${stock - completed} in PostgreSQL, ${redisLeft} in Redis`;
}

/**
 * Two-line orders with one line on a master that is SIGKILLed meanwhile and one on a live master:
 * each is accepted whole or refused 503, and a refused one leaves nothing reserved on the live
 * master (its units, the buyer's count and its open reservation all given back).
 */
export async function multiSlotDuringFailover(s: Stack, cluster: RedisCluster, items: { id: string; port: number }[]): Promise<string> {
  const { gate, redis, db } = s.api.deps;
  const [dying, live] = items as [{ id: string; port: number }, { id: string; port: number }];
  const buyers = await makeBuyers(s, 400, 10_000);
  let next = 0;
  const replies: { buyer: string; status: number; id?: string }[] = [];
  const client = async () => {
    while (next < buyers.length) {
      const b = buyers[next++]!;
      const r = await call(s.url, "POST", "/orders", { token: b.token, body: { items: [{ itemId: dying.id, quantity: 1 }, { itemId: live.id, quantity: 1 }] } });
      replies.push({ buyer: b.id, status: r.status, id: r.body?.id });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const clients = Promise.all(Array.from({ length: 8 }, client));
  await waitFor("orders under way", () => replies.length >= 40, 20_000);
  await cluster.killNode(dying.port);
  await cluster.waitForFailover(dying.port);
  await clients;
  await cluster.restartNode(dying.port);

  const accepted = replies.filter((r) => r.status === 202);
  const refused = replies.filter((r) => r.status === 503);
  expect(replies.filter((r) => r.status !== 202 && r.status !== 503).map((r) => r.status)).to.deep.equal([]);
  expect(refused.length, "orders refused during the failover").to.be.greaterThan(0);
  const ids = accepted.map((r) => r.id!);
  await waitFor("every accepted order final", async () => (await db.order.count({ where: { id: { in: ids }, status: { in: ["COMPLETED", "REJECTED", "FAILED"] } } })) === ids.length, 60_000, 200);
  // On the live master nothing of a refused order is left: remaining is stock minus what COMPLETED took, no open reservation, no count for a refused buyer.
  const completed = await db.order.count({ where: { id: { in: ids }, status: "COMPLETED" } });
  expect((await gate.remaining([live.id])).get(live.id), "the live master's remaining").to.equal(1000 - completed);
  expect(await redis.hlen(gate.keys.itemHolds(live.id)), "open reservations on the live master").to.equal(0);
  const held = await redis.hgetall(gate.keys.itemHeld(live.id));
  const refusedHeld = refused.filter((r) => held[r.buyer] !== undefined).map((r) => `${r.buyer}: ${held[r.buyer]}`);
  expect(refusedHeld, "refused buyers still counted on the live master").to.deep.equal([]);
  return `${replies.length} two-master orders, ${accepted.length} accepted, ${refused.length} refused 503, ${completed} completed; the live master's remaining ${1000 - completed}, 0 open reservations`;
}
