import { config, exitOnFatal, runUntilSignal } from "@flashsale/config";
import { setPriority } from "node:os";
import { pino } from "pino";
import { start } from "./start.ts";

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "worker" });
// Lower this process's CPU priority (raising niceness needs no privilege; a failure is only logged).
if (cfg.workerNice > 0) {
  try {
    setPriority(cfg.workerNice);
  } catch (err) {
    log.warn({ err: (err as Error).message }, "could not lower the worker's CPU priority");
  }
}

/** The worker: consumes until SIGTERM/SIGINT, then drains and exits 0. */
await runUntilSignal(log, () => start(cfg, log));
exitOnFatal(log);
