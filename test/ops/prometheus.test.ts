import { createServer } from "node:net";
import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { isolatedQueue, makeBuyer, startStack } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { waitFor } from "../support/wait";

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/** The value of one sample line (`name{labels} value`), or undefined. */
const sample = (text: string, series: string) => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe("Prometheus metrics", function () {
  this.timeout(60_000);

  it("when the API is scraped, then requests by route pattern and status, reservation outcomes, orders and queue are exposed", async () => {
    const s = stack();
    const item = await makeItem(s, { stock: 1 });
    const [a, b] = await Promise.all([makeBuyer(s), makeBuyer(s)]);
    const scrape = async () => {
      const r = await call(s.url, "GET", "/metrics/prometheus", { token: s.operator });
      expect(r.status).to.equal(200);
      expect(r.headers.get("content-type")).to.match(/^text\/plain; version=0\.0\.4/);
      return r.text;
    };
    const before = await scrape();
    const placed = await order(s, a.token, item.id);
    expect(placed.status).to.equal(202);
    expect((await order(s, b.token, item.id)).status).to.equal(409);
    await call(s.url, "GET", `/orders/${placed.body.id}`, { token: a.token });
    await call(s.url, "GET", `/no/such/${randomUUID()}`);
    await waitFor("settled", async () => (await call(s.url, "GET", `/orders/${placed.body.id}`, { token: a.token })).body.status === "COMPLETED");
    const text = await scrape();

    const grew = (series: string, by = 1) => expect((sample(text, series) ?? 0) - (sample(before, series) ?? 0), series).to.be.at.least(by);
    grew('flashsale_http_requests_total{method="POST",route="/orders",status="202"}');
    grew('flashsale_http_requests_total{method="POST",route="/orders",status="409"}');
    grew('flashsale_http_requests_total{method="GET",route="/orders/:id",status="200"}');
    grew('flashsale_http_requests_total{method="GET",route="unmatched",status="404"}');
    grew('flashsale_http_request_duration_seconds_count{method="POST",route="/orders",status="202"}');
    grew('flashsale_reservations_total{outcome="reserved"}');
    grew('flashsale_reservations_total{outcome="SOLD_OUT"}');
    expect(text).not.to.include(placed.body.id); // route patterns, never raw URLs
    const metrics = (await call(s.url, "GET", "/metrics", { token: s.operator })).body;
    expect(sample(text, 'flashsale_orders{status="COMPLETED"}')).to.equal(metrics.orderCounts.COMPLETED);
    expect(sample(text, 'flashsale_queue_messages{measure="consumers"}')).to.equal(2);
    expect(sample(text, 'flashsale_queue_messages{measure="depth"}')).to.be.a("number");
  });

  it("when a worker has WORKER_METRICS_PORT, then it serves its own /metrics with orders settled by outcome and settle duration", async () => {
    const port = await freePort();
    const own = await startStack({ workers: 1, env: { ...isolatedQueue(), WORKER_METRICS_PORT: String(port) } });
    try {
      expect(own.workers[0]!.metricsPort).to.equal(port);
      const item = await makeItem(own, { stock: 2, price: 100 });
      const rich = await makeBuyer(own);
      const poor = await makeBuyer(own, { USD: 10 });
      const ids = [(await order(own, rich.token, item.id)).body.id, (await order(own, poor.token, item.id)).body.id];
      await waitFor("both settled", async () => (await own.api.deps.db.order.count({ where: { id: { in: ids } } })) === 2);
      const text = await waitFor("the worker's counts", async () => {
        const t = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        return sample(t, 'flashsale_worker_orders_settled_total{outcome="REJECTED"}') === 1 && t;
      });
      expect(sample(text, 'flashsale_worker_orders_settled_total{outcome="COMPLETED"}')).to.equal(1);
      expect(sample(text, 'flashsale_worker_settle_duration_seconds_count{result="ok"}')).to.equal(2);
      expect(sample(text, "flashsale_worker_dead_lettered_total")).to.equal(0);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).to.equal(404);
    } finally {
      await own.stop();
    }
    const refused = await fetch(`http://127.0.0.1:${port}/metrics`).then(() => "answered", () => "refused");
    expect(refused).to.equal("refused");
  });

  it("when WORKER_METRICS_PORT is 0, then the worker serves no metrics endpoint", async () => {
    const own = await startStack({ workers: 1, env: { ...isolatedQueue(), WORKER_METRICS_PORT: "0" } });
    try {
      expect(own.workers[0]!.metricsPort).to.equal(undefined);
    } finally {
      await own.stop();
    }
  });
});
