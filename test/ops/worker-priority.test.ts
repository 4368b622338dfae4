import { getPriority } from "node:os";
import { expect } from "chai";
import { isolatedQueue } from "../support/stack";
import { killAll, spawnApp } from "../support/processes";
import { waitFor } from "../support/wait";

describe("worker CPU priority (WORKER_NICE)", () => {
  afterEach(killAll);

  it("when a worker starts with WORKER_NICE=7, then its process runs at niceness 7, and with WORKER_NICE=0 at the niceness it was given", async () => {
    const niced = spawnApp("worker", { ...isolatedQueue(), WORKER_NICE: "7", WORKER_METRICS_PORT: "0" });
    const plain = spawnApp("worker", { ...isolatedQueue(), WORKER_NICE: "0", WORKER_METRICS_PORT: "0" });
    const base = getPriority();
    await waitFor("the niced worker to lower its priority", () => getPriority(niced.pid!) === 7);
    expect(getPriority(plain.pid!)).to.equal(base);
  });
});
