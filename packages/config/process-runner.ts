/** What the runner needs of a logger (pino's shape). */
export interface RunnerLog {
  info(obj: object, msg: string): void;
  fatal(obj: object, msg: string): void;
}

/** A started process part: stop() drains it (finishes in-flight work, closes connections). */
export interface Drainable {
  stop(): Promise<void>;
}

/**
 * Starts one process part and keeps it until SIGTERM or SIGINT, then drains it once and
 * exits 0 (a second signal while draining is ignored). The API and the worker both run this way.
 */
export async function runUntilSignal(log: RunnerLog, start: () => Promise<Drainable>): Promise<void> {
  const part = await start();
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "draining");
    await part.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

/** An uncaught exception or unhandled rejection is logged as fatal and exits 1. */
export function exitOnFatal(log: RunnerLog): void {
  process.on("uncaughtException", (err) => {
    log.fatal({ err }, "uncaught exception");
    process.exit(1);
  });
  process.on("unhandledRejection", (err) => {
    log.fatal({ err }, "unhandled rejection");
    process.exit(1);
  });
}
