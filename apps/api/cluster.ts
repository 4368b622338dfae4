import cluster from "node:cluster";
import type { Logger } from "pino";

/**
 * Runs `count` copies of this API process with node:cluster, so the API uses several cores
 * behind one port. A copy that dies is replaced (after a short pause); SIGTERM/SIGINT reach
 * every copy, each drains on its own, and the primary exits 0 once all have.
 */
export function runPrimary(count: number, log: Logger): void {
  let stopping = false;
  const fork = () => cluster.fork();
  for (let i = 0; i < count; i++) fork();
  cluster.on("exit", (w, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    log.warn({ pid: w.process.pid, code, signal }, "API process died; starting another");
    setTimeout(fork, 500);
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, processes: count }, "draining every API process");
    const live = Object.values(cluster.workers ?? {});
    if (live.length === 0) process.exit(0);
    for (const w of live) w?.process.kill("SIGTERM");
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}
