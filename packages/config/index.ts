import { loadConfig } from "./load-config.ts";

export { loadConfig, parseConfig, type Config } from "./load-config.ts";

let cached: ReturnType<typeof loadConfig> | undefined;

/** The process's configuration, parsed once from the environment; a bad variable exits with one line naming it. */
export function config() {
  cached ??= loadConfig();
  return cached;
}
export { packageRoot } from "./package-root.ts";
export { runUntilSignal, exitOnFatal, type Drainable, type RunnerLog } from "./process-runner.ts";
