import { expect } from "chai";
import { makeBuyer, startStack, isolatedQueue, type Stack } from "../support/stack";
import { makeItem, moneyOf, order } from "../support/fixtures";
import { exited, killAll, spawnPausedWorker } from "../support/processes";
import { waitFor } from "../support/wait";
import { itemRemaining } from "@flashsale/db";

describe("a worker killed mid-settle", function () {
  this.timeout(60_000);
  let s: Stack;
  let queue: Record<string, string>;

  beforeEach(async () => {
    queue = isolatedQueue();
    s = await startStack({ workers: 0, env: queue });
  });
  afterEach(async () => {
    await killAll();
    await s.stop();
  });

  for (const stage of ["before-settle", "after-commit"] as const) {
    it(`when a worker is SIGKILLed ${stage === "before-settle" ? "after receiving a message, before settling" : "after the commit, before the ack"}, then after redelivery the order is settled once and charged once`, async () => {
      const item = await makeItem(s, { stock: 5, price: 1200 });
      const buyer = await makeBuyer(s, { USD: 5000 });
      const child = spawnPausedWorker({ stage, ms: 60_000 }, queue);
      const placed = await order(s, buyer.token, item.id);
      expect(placed.status).to.equal(202);
      const db = s.api.deps.db;
      if (stage === "before-settle") {
        await waitFor("the worker holding the order", async () => (await s.api.deps.gate.pendingOrder(placed.body.id))?.status === "PROCESSING");
        expect(await db.order.count({ where: { id: placed.body.id } })).to.equal(0);
      } else {
        await waitFor("the commit", async () => (await db.order.findUnique({ where: { id: placed.body.id } }))?.status === "COMPLETED");
      }
      child.kill("SIGKILL");
      expect(await exited(child)).to.equal("SIGKILL");

      await s.addWorker();
      await waitFor("the redelivered message handled", async () => {
        const o = await db.order.findUnique({ where: { id: placed.body.id } });
        const h = await s.api.deps.redis.hget(s.api.deps.gate.keys.order(placed.body.id), "status");
        return o?.status === "COMPLETED" && h === "COMPLETED";
      });
      const m = await moneyOf(s, buyer.id);
      expect(m.ledger.filter((l) => l.reason === "PURCHASE")).to.have.length(1);
      expect(m.wallet("USD")).to.equal(3800);
      expect(m.ledgerSum("USD")).to.equal(3800);
      expect((await itemRemaining(db, item.id))).to.equal(4);
      expect((await db.holding.findFirstOrThrow({ where: { userId: buyer.id, itemId: item.id } })).quantity).to.equal(1);
    });
  }
});

describe("the broker unreachable", () => {
  it("when POST /orders cannot be queued, then 503 UNAVAILABLE within a second and nothing stays reserved", async () => {
    const s = await startStack({ workers: 0, env: { RABBITMQ_URL: "amqp://guest:guest@127.0.0.1:1" } });
    try {
      const item = await makeItem(s, { stock: 2 });
      const buyer = await makeBuyer(s);
      const t0 = Date.now();
      const r = await order(s, buyer.token, item.id);
      expect(Date.now() - t0).to.be.below(1000);
      expect(r.status).to.equal(503);
      expect(r.headers.get("content-type")).to.match(/application\/problem\+json/);
      expect(r.body.code).to.equal("UNAVAILABLE");
      expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(2);
      const held = await s.api.deps.redis.hget(s.api.deps.gate.keys.itemHeld(item.id), buyer.id);
      expect(held).to.equal(null);
      const ready = await fetch(`${s.url}/readyz`);
      expect(ready.status).to.equal(503);
      expect(((await ready.json()) as { unavailable: string[] }).unavailable).to.deep.equal(["rabbitmq"]);
    } finally {
      await s.stop();
    }
  });
});
