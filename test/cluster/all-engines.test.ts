// `npm start` (scripts/dist/start.js: migrations, one API process, two workers, supervised) with
// all three engines past one machine at once: REDIS_CLUSTER_NODES on a 6-node Redis Cluster,
// RABBITMQ_URLS on a 3-node RabbitMQ cluster, DATABASE_URL and DATABASE_REPLICA_URL on a
// PostgreSQL primary and its streaming replica, each of the suite's own. The README's API
// walk-through then runs against it as a user would, and SIGTERM stops it cleanly.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { freePort } from "../../load/bench/children";
import { repoRoot } from "../support/scratch-env";
import { exited } from "../support/processes";
import { waitFor } from "../support/wait";
import { RedisCluster, redisClusterUnavailable } from "../support/redis-cluster";
import { RabbitCluster, clusterUnavailable } from "../support/rabbit-cluster";
import { PgReplicaPair, pgReplicaUnavailable } from "../support/pg-replica";
import { runBash, walkthroughBlock } from "../support/walkthrough";

describe("npm start on a Redis Cluster, a RabbitMQ cluster and a PostgreSQL replica at once", function () {
  this.timeout(240_000);
  let redis: RedisCluster | undefined;
  let rabbit: RabbitCluster | undefined;
  let pg: PgReplicaPair | undefined;
  let start: ChildProcess | undefined;
  let base = "";
  let output = "";

  before(async function () {
    const why = redisClusterUnavailable() ?? clusterUnavailable() ?? pgReplicaUnavailable();
    if (why) {
      console.log(`      SKIPPED: ${why}`);
      this.skip();
    }
    const t0 = Date.now();
    [redis, rabbit, pg] = await Promise.all([RedisCluster.start(), RabbitCluster.start(3), new PgReplicaPair().start()]);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    start = spawn(process.execPath, [path.join(repoRoot, "scripts/dist/start.js")], {
      cwd: repoRoot,
      env: {
        ...process.env,
        PORT: String(port),
        WORKERS: "2",
        API_PROCESSES: "1",
        WORKER_METRICS_PORT: "0",
        DATABASE_URL: pg.primaryUrl,
        DATABASE_REPLICA_URL: pg.replicaUrl,
        REDIS_CLUSTER_NODES: redis.seeds,
        RABBITMQ_URLS: rabbit.urls.join(","),
        QUEUE_PREFIX: `all-${randomUUID().slice(0, 8)}`,
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    start.stdout!.on("data", (d) => (output += d));
    start.stderr!.on("data", (d) => (output += d));
    await waitFor("npm start ready on all three clusters", async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 90_000, 200);
    console.log(`      all engines: clusters and npm start ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  after(async function () {
    this.timeout(120_000);
    if (start && start.exitCode === null) {
      start.kill("SIGKILL");
      await exited(start);
    }
    await Promise.all([redis?.stop(), rabbit?.stop(), pg?.stop()]);
  });

  it("when the README's walk-through runs against it, then every step answers as the README says; SIGTERM then stops it with exit 0", async () => {
    const ready = await (await fetch(`${base}/readyz`)).json();
    expect(ready.checks).to.include({ postgres: "ok", redis: "ok", rabbitmq: "ok" });
    const r = await runBash(walkthroughBlock(readFileSync(path.join(repoRoot, "README.md"), "utf8")), { API: base });
    expect(r.code, `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\nnpm start:\n${output.slice(-3000)}`).to.equal(0);
    expect(r.stdout).to.include('"status":"COMPLETED"');
    expect(r.stdout).to.include('"status":"REFUNDED"');
    start!.kill("SIGTERM");
    expect(await exited(start!)).to.equal(0);
  });
});
