import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The product as `npm start` runs it (the real supervisor, one API, N workers), as a child
 * process; the pids of its children are read from the supervisor's own log lines.
 */
export class SupervisedStack {
  private proc?: ChildProcess;
  readonly pids = new Map<string, number>();
  readonly restarts: string[] = [];

  constructor(private readonly env: Record<string, string>) {}

  start(): void {
    this.proc = spawn(process.execPath, [path.join(root, "scripts/dist/start.js")], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let buf = "";
    // CHAOS_STACK_LOG=<file>: the stack's stdout (the supervisor's lines and every log line) kept there too.
    const log = process.env.CHAOS_STACK_LOG ? createWriteStream(process.env.CHAOS_STACK_LOG, { flags: "a" }) : undefined;
    this.proc.stdout!.on("data", (chunk: Buffer) => {
      log?.write(chunk);
      buf += chunk.toString("utf8");
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const started = /\[flashsale\] (\S+) started \(pid (\d+)\)/.exec(line);
        if (started) this.pids.set(started[1]!, Number(started[2]));
        if (/restarting in/.test(line)) this.restarts.push(line);
      }
    });
  }

  /** SIGKILLs one child (like a crash); the supervisor restarts it. A child already dead (killed a moment ago) is left alone. */
  kill(name: string): void {
    const pid = this.pids.get(name);
    try {
      if (pid) process.kill(pid, "SIGKILL");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }

  async stop(): Promise<number | null> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return p?.exitCode ?? null;
    return new Promise((resolve) => {
      p.once("exit", (code) => resolve(code));
      p.kill("SIGTERM");
    });
  }
}
