import { spawn, type ChildProcess } from "node:child_process";
import { openSync, readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

export const root = path.resolve(import.meta.dirname, "../..");

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once("error", reject);
  });
}

export interface Child {
  proc: ChildProcess;
  /** Stops it with SIGTERM (graceful), SIGKILL after 15 s; resolves once it exited. */
  stop(): Promise<void>;
}

/** An app's entry (apps/<name>/main.ts) runs compiled, as `npm run api` runs it; any other file from source through tsx. */
function entryArgs(file: string): string[] {
  const app = /^apps\/([a-z-]+)\/main\.ts$/.exec(file);
  return app ? [path.join(root, `apps/${app[1]}/dist/main.js`)] : ["--import", "tsx", path.join(root, file)];
}

/** Runs an entry file as a child process (see entryArgs); its stdout (logs) goes to a file or nowhere. */
export function spawnTs(file: string, env: Record<string, string>, opts: { nodeFlags?: string[]; stdoutFile?: string } = {}): Child {
  const proc = spawn(process.execPath, [...(opts.nodeFlags ?? []), ...entryArgs(file)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", opts.stdoutFile ? openSync(opts.stdoutFile, "a") : "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  return {
    proc,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      const force = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}

/** Resolves once GET url answers 200, or throws after the timeout. */
export async function waitHealthy(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`${url} did not become healthy in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Resident memory of a process in MB, from /proc. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : 0;
}

/** Samples a process's RSS every 200 ms; `peak` is the highest seen so far. */
export class RssSampler {
  peak = 0;
  private timer?: NodeJS.Timeout;
  constructor(private readonly pid: number) {}
  start(): this {
    this.sample();
    this.timer = setInterval(() => this.sample(), 200);
    return this;
  }
  sample(): number {
    try {
      const mb = rssMb(this.pid);
      this.peak = Math.max(this.peak, mb);
      return mb;
    } catch {
      return 0;
    }
  }
  stop(): void {
    clearInterval(this.timer);
  }
}
