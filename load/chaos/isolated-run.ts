import { parseConfig } from "@flashsale/config";
import { freePort } from "../bench/children";
import { scratchEnv } from "../../test/support/scratch-env";

/** A database, Redis prefix, queue prefix and port of a run's own; cleanup() removes them. */
export async function isolatedRun(kind: string) {
  const port = await freePort();
  const env: Record<string, string> = {
    PORT: String(port),
    WORKERS: "2",
    WORKER_METRICS_PORT: "0",
    JWT_SECRET: process.env.JWT_SECRET ?? "chaos-secret-at-least-16-chars",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "error",
    RATE_LIMIT_USER_PER_SEC: "0",
    RATE_LIMIT_IP_PER_SEC: "0",
  };
  // flashsale_<kind>_<id>, <kind>:<id>:, <kind>-<id> (test/support/scratch-env.ts, as `npm test` has).
  const scratch = await scratchEnv({ kind, env, quiet: true });
  Object.assign(env, scratch.vars);
  return {
    env,
    url: `http://127.0.0.1:${port}`,
    async cleanup() {
      // The queues as the stack declared them (QUEUE_TYPE and RETRY_DELAYS_MS of this environment).
      await scratch.dispose([parseConfig({ ...process.env, ...env }).queue]);
    },
  };
}
