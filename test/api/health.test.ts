import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { isolatedQueue, startStack } from "../support/stack";

describe("health", () => {
  it("when /healthz is asked without a token, then 200 {status: ok}", async () => {
    const r = await call(stack().url, "GET", "/healthz");
    expect(r.status).to.equal(200);
    expect(r.body).to.deep.equal({ status: "ok" });
  });

  it("when /readyz is asked while PostgreSQL, Redis and RabbitMQ answer, then 200 and each check ok", async () => {
    const r = await call(stack().url, "GET", "/readyz");
    expect(r.status, r.text).to.equal(200);
    expect(r.body.status).to.equal("ok");
    expect(r.body.checks).to.include({ postgres: "ok", redis: "ok", rabbitmq: "ok" });
  });

  it("when /healthz is sent a query or a token, then it still answers 200", async () => {
    const r = await call(stack().url, "GET", "/healthz?verbose=%E0%A4%A", { token: "not-a-token" });
    expect(r.status).to.equal(200);
  });

  it("when Redis stops answering, then /readyz is 503 UNAVAILABLE naming redis, and /healthz is still 200", async function () {
    this.timeout(30_000);
    const own = await startStack({ workers: 0, env: isolatedQueue() });
    try {
      own.api.deps.redis.disconnect();
      const r = await call(own.url, "GET", "/readyz");
      expectProblem(r, 503, "UNAVAILABLE");
      expect(r.body.unavailable).to.deep.equal(["redis"]);
      expect((await call(own.url, "GET", "/healthz")).status).to.equal(200);
    } finally {
      await own.stop();
    }
  });
});
