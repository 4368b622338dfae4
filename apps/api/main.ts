import cluster from "node:cluster";
import { config, exitOnFatal, runUntilSignal } from "@flashsale/config";
import { pino } from "pino";
import { runPrimary } from "./cluster.ts";
import { start } from "./start.ts";

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "api" });

if (cfg.apiProcesses > 1 && cluster.isPrimary) runPrimary(cfg.apiProcesses, log);
else await serve();
exitOnFatal(log);

/** One API process: serves until SIGTERM/SIGINT, then drains (open connections closed after 10 s) and exits 0. */
async function serve() {
  await runUntilSignal(log, async () => {
    const api = await start(cfg, log);
    return {
      async stop() {
        const force = setTimeout(() => api.server.closeAllConnections(), 10_000);
        await api.stop();
        clearTimeout(force);
      },
    };
  });
}
