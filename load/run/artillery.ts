import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export const loadDir = path.resolve(import.meta.dirname, "..");
const bin = path.join(loadDir, "node_modules/.bin/artillery");

/**
 * Installs artillery into load/node_modules on first use (`npm ci` from load/'s own lock).
 * Kept out of the root install: it is ~460 MB and its browser download must be skipped.
 */
export function ensureArtillery(): void {
  if (existsSync(bin)) return;
  process.stderr.write("installing artillery into load/node_modules (once; about a minute)…\n");
  const r = spawnSync("npm", ["--prefix", loadDir, "ci", "--no-audit", "--no-fund"], {
    stdio: "inherit",
    env: { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" },
  });
  if (r.status !== 0 || !existsSync(bin)) throw new Error("could not install artillery (npm --prefix load ci)");
}

export interface ArtilleryRun {
  script: string;
  target: string;
  itemId: string;
  csv: string;
  outcomesFile: string;
  reportFile: string;
  /** Overrides the phases (the burst sets arrivalCount to the number of buyers). */
  phases?: object[];
}

/** Runs one artillery scenario in the foreground (its own report on stdout); resolves with its exit code. */
export function runArtillery(run: ArtilleryRun): Promise<number> {
  const overrides = { config: { payload: { path: path.resolve(run.csv) }, ...(run.phases ? { phases: run.phases } : {}) } };
  const env: NodeJS.ProcessEnv = { ...process.env, ITEM_ID: run.itemId, OUTCOMES_FILE: run.outcomesFile, ARTILLERY_DISABLE_TELEMETRY: "true" };
  // artillery reads WORKERS as its own worker count; flashsale's WORKERS means something else.
  delete env.WORKERS;
  const child = spawn(bin, ["run", run.script, "--target", run.target, "--output", run.reportFile, "--overrides", JSON.stringify(overrides)], {
    stdio: "inherit",
    env,
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve(code ?? 1)));
}

export interface ArtillerySummary {
  requests: number;
  codes: Record<string, number>;
  errors: Record<string, number>;
  latency?: { min: number; p50: number; p95: number; p99: number; max: number };
}

/** The figures that matter from artillery's JSON report. */
export function summariseReport(reportFile: string): ArtillerySummary {
  const report = JSON.parse(readFileSync(reportFile, "utf8"));
  const counters: Record<string, number> = report.aggregate?.counters ?? {};
  const pick = (prefix: string) =>
    Object.fromEntries(Object.entries(counters).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  const rt = report.aggregate?.summaries?.["http.response_time"];
  return {
    requests: counters["http.requests"] ?? 0,
    codes: pick("http.codes."),
    errors: pick("errors."),
    latency: rt ? { min: rt.min, p50: rt.median ?? rt.p50, p95: rt.p95, p99: rt.p99, max: rt.max } : undefined,
  };
}
