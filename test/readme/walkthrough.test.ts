import { spawnSync, spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { freePort } from "../../load/bench/children";
import { scratchEnv, repoRoot, type ScratchEnv } from "../support/scratch-env";
import { spawnApp, exited } from "../support/processes";
import { waitFor } from "../support/wait";
import { testConfig } from "../support/stack";

const MARKER = "<!-- walkthrough: test/readme/walkthrough.test.ts runs the next sh block -->";

/** The README's walk-through: the first ```sh block after the marker. */
export function walkthroughBlock(readme: string): string {
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no line ${MARKER}`);
  const m = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (!m) throw new Error("README.md: no ```sh block after the walk-through marker");
  return m[1]!;
}

function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

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
