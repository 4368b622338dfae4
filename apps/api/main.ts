import { config } from "@flashsale/config";
import { pino } from "pino";
import { start } from "./start";

const cfg = config();
const log = pino({ level: cfg.logLevel, name: "api" });
const api = await start(cfg, log);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, "draining");
  const force = setTimeout(() => api.server.closeAllConnections(), 10_000);
  await api.stop();
  clearTimeout(force);
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("uncaughtException", (err) => {
  log.fatal({ err }, "uncaught exception");
  process.exit(1);
});
process.on("unhandledRejection", (err) => {
  log.fatal({ err }, "unhandled rejection");
  process.exit(1);
});
