import { expect } from "chai";
import { parseConfig } from "@flashsale/config";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { call } from "../support/http";
import { TcpProxy } from "../support/tcp-proxy";
import { waitFor } from "../support/wait";

const BROKER = process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672";
const PORT = Number(new URL(BROKER).port || 5672);

describe("RABBITMQ_URLS: the broker's nodes, tried in turn", function () {
  this.timeout(60_000);

  it("when RABBITMQ_URLS is set, then it is the node list and RABBITMQ_URL is ignored; a bad entry stops the process naming RABBITMQ_URLS", () => {
    const env = { NODE_ENV: "development", RABBITMQ_URL: "amqp://ignored:5672" };
    expect(parseConfig({ ...env, RABBITMQ_URLS: "amqp://a:5672, amqps://b:5671,amqp://c:5672" }).rabbitmqUrls).to.deep.equal(["amqp://a:5672", "amqps://b:5671", "amqp://c:5672"]);
    expect(parseConfig(env).rabbitmqUrls).to.deep.equal(["amqp://ignored:5672"]);
    expect(() => parseConfig({ ...env, RABBITMQ_URLS: "amqp://a:5672,http://b" })).to.throw(/^invalid configuration: RABBITMQ_URLS must be a URL \(amqp: or amqps:\)$/);
    expect(() => parseConfig({ ...env, RABBITMQ_URLS: "amqp://a:5672," })).to.throw(/^invalid configuration: RABBITMQ_URLS /);
  });

  describe("two nodes in front of one broker", () => {
    let a: TcpProxy;
    let b: TcpProxy;
    let s: Stack;
    beforeEach(async () => {
      a = await new TcpProxy("127.0.0.1", PORT).start();
      b = await new TcpProxy("127.0.0.1", PORT).start();
    });
    afterEach(async () => {
      await s?.stop();
      await a.stop();
      await b.stop();
    });

    it("when the first node refuses, then the API and the worker connect to the next and orders settle", async () => {
      a.cut();
      s = await startStack({ workers: 1, env: { ...isolatedQueue(), RABBITMQ_URLS: `${a.url(BROKER)},${b.url(BROKER)}` } });
      await waitFor("the API connected", async () => (await call(s.url, "GET", "/readyz")).status === 200, 10_000, 50);
      await waitFor("the worker connected", () => s.workers[0]!.consumer.connected, 10_000, 50);
      const item = await makeItem(s, { stock: 2 });
      const r = await order(s, (await makeBuyer(s)).token, item.id);
      expect(r.status, r.text).to.equal(202);
      await waitFor("settled", async () => (await s.api.deps.db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED");
    });

    it("when the node in use goes away, then the API and the worker move to the next one within a second or two, and orders settle; meanwhile a publish is 503 at once", async () => {
      s = await startStack({ workers: 1, env: { ...isolatedQueue(), RABBITMQ_URLS: `${a.url(BROKER)},${b.url(BROKER)}` } });
      await waitFor("the worker connected", () => s.workers[0]!.consumer.connected, 10_000, 50);
      const item = await makeItem(s, { stock: 5 });
      const buyer = await makeBuyer(s);
      const lostAt = Date.now();
      a.cut();
      // Until the publisher reconnects, orders are refused at once, never held in memory.
      for (;;) {
        const t0 = Date.now();
        const r = await order(s, buyer.token, item.id);
        if (r.status === 202) {
          await waitFor("settled on the second node", async () => (await s.api.deps.db.order.findUnique({ where: { id: r.body.id } }))?.status === "COMPLETED");
          break;
        }
        expect(r.status, r.text).to.equal(503);
        expect(Date.now() - t0).to.be.below(1000);
        expect(Date.now() - lostAt, "moved to the next node").to.be.below(5000);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await waitFor("the worker moved", () => s.workers[0]!.consumer.connected, 5000, 50);
      expect((await call(s.url, "GET", "/readyz")).status).to.equal(200);
      expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(4);
    });
  });
});
