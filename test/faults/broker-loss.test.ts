import { expect } from "chai";
import { isolatedQueue, makeBuyer, startStack, type Stack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { call } from "../support/http";
import { TcpProxy } from "../support/tcp-proxy";
import { waitFor } from "../support/wait";

describe("the broker goes away", function () {
  this.timeout(60_000);
  let proxy: TcpProxy;
  let s: Stack;
  before(async () => {
    proxy = await new TcpProxy("127.0.0.1", 5672).start();
    s = await startStack({ workers: 1, env: { ...isolatedQueue(), RABBITMQ_URL: proxy.url(process.env.RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672") } });
  });
  after(async () => {
    await s.stop();
    await proxy.stop();
  });

  it("when the broker is lost, then POST /orders is 503 within a second and reserves nothing; when it is back, API and worker reconnect and orders settle", async () => {
    const item = await makeItem(s, { stock: 4 });
    const buyer = await makeBuyer(s);
    proxy.cut();
    await waitFor("the API noticing", async () => (await call(s.url, "GET", "/readyz")).status === 503);
    expect((await call(s.url, "GET", "/readyz")).body.unavailable).to.deep.equal(["rabbitmq"]);
    const t0 = Date.now();
    const r = await order(s, buyer.token, item.id);
    expect(Date.now() - t0).to.be.below(1000);
    expect(r.status).to.equal(503);
    expect(r.body.code).to.equal("UNAVAILABLE");
    expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(4);

    proxy.restore();
    await waitFor("the API reconnected", async () => (await call(s.url, "GET", "/readyz")).status === 200, 20_000, 100);
    await waitFor("the worker reconnected", async () => s.workers[0]!.consumer.connected, 20_000, 100);
    const ok = await order(s, buyer.token, item.id);
    expect(ok.status, ok.text).to.equal(202);
    await waitFor("settled", async () => (await s.api.deps.db.order.findUnique({ where: { id: ok.body.id } }))?.status === "COMPLETED");
    expect((await s.api.deps.gate.remaining([item.id])).get(item.id)).to.equal(3);
  });
});
