import { parseConfig, type Config } from "@flashsale/config";
import { scratchEnv } from "../../test/support/scratch-env";

export interface BenchEnv {
  id: string;
  /** The variables every process of the run gets (API, workers, this one). */
  vars: Record<string, string>;
  cfg: Config;
  dispose(): Promise<void>;
}

/**
 * A run of its own, like `npm test`: a fresh database flashsale_bench_<id> (migrated with
 * `prisma migrate deploy`), a Redis key prefix and queue names of its own; dispose() removes all three.
 */
export async function isolatedEnv(): Promise<BenchEnv> {
  const vars: Record<string, string> = {
    NODE_ENV: "production",
    JWT_SECRET: process.env.JWT_SECRET ?? "bench-secret-of-at-least-16-chars",
    LOG_LEVEL: "warn",
    // All load comes from one address: keep the per-address limiter's Redis call, not its refusals.
    RATE_LIMIT_IP_PER_SEC: "1000000",
    WORKER_METRICS_PORT: "0",
    // One API process, like the one bare Express process it is compared with (API_PROCESSES=N npm run bench to override).
    API_PROCESSES: process.env.API_PROCESSES ?? "1",
  };
  // flashsale_bench_<id>, bench:<id>:, bench-<id> (test/support/scratch-env.ts, as `npm test` has).
  const scratch = await scratchEnv({ kind: "bench", env: vars });
  Object.assign(vars, scratch.vars);
  const cfg = parseConfig({ ...process.env, ...vars });
  return {
    id: scratch.id,
    vars,
    cfg,
    dispose: () => scratch.dispose([cfg.queue]),
  };
}
