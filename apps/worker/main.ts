import { config, exitOnFatal, runUntilSignal } from "@flashsale/config";
import { pino } from "pino";
import { start } from "./start.ts";

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "worker" });

/** The worker: consumes until SIGTERM/SIGINT, then drains and exits 0. */
await runUntilSignal(log, () => start(cfg, log));
exitOnFatal(log);
