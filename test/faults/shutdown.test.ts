import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem } from "../support/fixtures";
import { queueCounts } from "../support/broker";
import { exited, killAll, spawnApp, spawnPausedWorker } from "../support/processes";
import { waitFor } from "../support/wait";
import { freePort } from "../../load/bench/children";
import { itemRemaining } from "@flashsale/db";

describe("graceful shutdown", function () {
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

  it("when a worker gets SIGTERM while it holds a message, then it settles and acks that message, then exits 0", async () => {
    const item = await makeItem(s, { stock: 2 });
    const buyer = await makeBuyer(s);
    const child = spawnPausedWorker({ stage: "before-settle", ms: 1500 }, { ...queue, WORKER_METRICS_PORT: "0" });
    const r = await fetch(`${s.url}/orders`, {
      method: "POST",
      headers: { authorization: `Bearer ${buyer.token}`, "content-type": "application/json" },
      body: JSON.stringify({ items: [{ itemId: item.id, quantity: 1 }] }),
    });
    const placed = (await r.json()) as { id: string };
    await waitFor("the worker holding it", async () => (await s.api.deps.gate.pendingOrder(placed.id))?.status === "PROCESSING");
    child.kill("SIGTERM");
    expect(await exited(child)).to.equal(0);
    expect((await s.api.deps.db.order.findUniqueOrThrow({ where: { id: placed.id } })).status).to.equal("COMPLETED");
    expect((await queueCounts(s.cfg.queue.prefix)).settle).to.equal(0);
  });

  it("when the API gets SIGTERM under load, then every request is answered or refused at connect, every 202 settles, and nothing unanswered reserved anything", async () => {
    const port = await freePort();
    const api = spawnApp("api", { ...queue, PORT: String(port) });
    await waitFor("the API up", async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, 20_000, 100);
    await s.addWorker();
    const item = await makeItem(s, { stock: 1000, maxPerUser: 1000 });
    const buyer = await makeBuyer(s, { USD: 10_000_000 });
    const statuses: (number | "refused")[] = [];
    const one = async () => {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/orders`, {
          method: "POST",
          headers: { authorization: `Bearer ${buyer.token}`, "content-type": "application/json" },
          body: JSON.stringify({ items: [{ itemId: item.id, quantity: 1 }] }),
        });
        statuses.push(res.status);
        await res.arrayBuffer();
      } catch {
        statuses.push("refused");
      }
    };
    const lanes = Array.from({ length: 10 }, async () => {
      for (let i = 0; i < 30; i++) await one();
    });
    await waitFor("load under way", () => statuses.length >= 40);
    api.kill("SIGTERM");
    await Promise.all(lanes);
    expect(await exited(api)).to.equal(0);
    const accepted = statuses.filter((x) => x === 202).length;
    expect(statuses.filter((x) => typeof x === "number" && x >= 500)).to.deep.equal([]);
    expect(accepted).to.be.greaterThan(0);
    await waitFor("every 202 settled", async () => (await s.api.deps.db.order.count({ where: { userId: buyer.id, status: "COMPLETED" } })) === accepted, 30_000);
    expect((await itemRemaining(s.api.deps.db, item.id))).to.equal(1000 - accepted);
    expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(1000 - accepted);
  });
});
