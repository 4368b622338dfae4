import cluster from "node:cluster";
import { config } from "@flashsale/config";
import { pino } from "pino";
import { runPrimary } from "./cluster.ts";
import { start } from "./start.ts";

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "api" });

if (cfg.apiProcesses > 1 && cluster.isPrimary) runPrimary(cfg.apiProcesses, log);
else await serve();

/** One API process: serves until SIGTERM/SIGINT, then drains and exits 0. */
async function serve() {
  const api = await start(cfg, log);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "draining");
    const force = setTimeout(() => api.server.closeAllConnections(), 10_000);
    await api.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

process.on("uncaughtException", (err) => {
  log.fatal({ err }, "uncaught exception");
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  log.fatal({ err }, "unhandled rejection");
  process.exit(1);
});
