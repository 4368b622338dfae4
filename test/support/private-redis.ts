import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { waitFor } from "./wait";
import { freePort } from "../../load/bench/children";

const answers = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1", () => s.end(() => resolve(true)));
    s.on("error", () => resolve(false));
  });

/**
 * A redis-server of a test's own (the machine's binary, nothing on disk), so a test may
 * FLUSHALL it, flush its scripts, or kill and restart it without touching the shared one.
 */
export class PrivateRedis {
  private proc?: ChildProcess;
  port = 0;

  async start(): Promise<this> {
    this.port ||= await freePort();
    this.proc = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitFor("private redis up", () => answers(this.port), 10_000);
    return this;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Kills the server (SIGKILL: like a crash; everything in memory is lost). */
  async kill(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      p.once("exit", () => resolve());
      p.kill("SIGKILL");
    });
    await waitFor("private redis down", async () => !(await answers(this.port)), 5000);
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}
