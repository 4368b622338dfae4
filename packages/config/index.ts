import { loadConfig } from "./load-config";

export { loadConfig, parseConfig, type Config } from "./load-config";

let cached: ReturnType<typeof loadConfig> | undefined;

/** The process's configuration, parsed once from the environment; a bad variable exits with one line naming it. */
export function config() {
  cached ??= loadConfig();
  return cached;
}
