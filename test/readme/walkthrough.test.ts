import { spawnSync, type ChildProcess } from "node:child_process";
import { runBash, walkthroughBlock } from "../support/walkthrough";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { freePort } from "../../load/bench/children";
import { scratchEnv, repoRoot, type ScratchEnv } from "../support/scratch-env";
import { spawnApp, exited } from "../support/processes";
import { waitFor } from "../support/wait";
import { testConfig } from "../support/stack";

describe("README walk-through (curl + jq against a stack of its own)", function () {
  this.timeout(120_000);
  let scratch: ScratchEnv;
  let api: ChildProcess;
  let worker: ChildProcess;
  let base: string;

  before(async function () {
    for (const tool of ["curl", "jq"]) {
      if (spawnSync(tool, ["--version"]).status !== 0) throw new Error(`the README walk-through needs ${tool}: apt-get install -y ${tool}`);
    }
    scratch = await scratchEnv({ kind: "readme" });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // Its own database, Redis prefix, queue prefix and port: never the default database or port 3000.
    const env = { ...scratch.vars, PORT: String(port), WORKER_METRICS_PORT: "0" };
    api = spawnApp("api", env);
    worker = spawnApp("worker", env);
    await waitFor("the walk-through's stack to be ready", async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 30_000, 100);
  });

  after(async function () {
    for (const child of [api, worker]) {
      if (child && child.exitCode === null) {
        child.kill("SIGTERM");
        await exited(child);
      }
    }
    // The queues as the spawned processes declared them (type and retry delays of the run's environment).
    if (scratch) await scratch.dispose([testConfig(scratch.vars).queue]);
  });

  it("when the README's block runs top to bottom in bash -euo pipefail, then it exits 0 and each 4xx it shows is the one its comment names", async () => {
    const block = walkthroughBlock(readFileSync(path.join(repoRoot, "README.md"), "utf8"));
    const r = await runBash(block, { API: base });
    if (process.env.TEST_WALKTHROUGH_OUTPUT) console.log(r.stdout, r.stderr);
    expect(r.code, `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    expect(r.stdout).to.include('{"status":"ok"}');
    expect(r.stdout).to.match(/^401$/m);
    expect(r.stdout).to.match(/"code":"INSUFFICIENT_FUNDS"[^\n]*\} 409$/m);
    expect(r.stdout).to.match(/"code":"LIMIT_EXCEEDED"[^\n]*\} 409$/m);
    expect(r.stdout).to.include('"amount":9500');
    expect(r.stdout).to.include('"status":"COMPLETED"');
    expect(r.stdout).to.include('"status":"REFUNDED"');
    expect(r.stdout).to.include('"averageProcessingTimeMs":null');
    expect(r.stdout).to.match(/sign in as ops-\d+@example\.com/);
  });
});
