import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const children = new Set<ChildProcess>();

/** Runs an app as a real process, compiled as production runs it, with the run's environment plus overrides. */
export function spawnApp(app: "api" | "worker", env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, `apps/${app}/dist/main.js`)], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", process.env.TEST_CHILD_OUTPUT ? "inherit" : "ignore", process.env.TEST_CHILD_OUTPUT ? "inherit" : "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/**
 * A real worker process (the compiled worker, run as main.ts runs it) that waits `ms` at a
 * stage of each settle, so a test can kill it exactly there. The wait is handed to the worker's
 * start() by test/support/paused-worker.mjs; no variable of the production configuration opens it.
 */
export function spawnPausedWorker(pauseAt: { stage: "before-settle" | "after-commit"; ms: number }, env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, "test/support/paused-worker.mjs")], {
    cwd: root,
    env: { ...process.env, ...env, TEST_PAUSE_AT: `${pauseAt.stage}:${pauseAt.ms}` },
    stdio: ["ignore", process.env.TEST_CHILD_OUTPUT ? "inherit" : "ignore", process.env.TEST_CHILD_OUTPUT ? "inherit" : "pipe"],
  });
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** Resolves with the exit code (or signal) once the process has ended. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode!);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Kills every process a test spawned and did not reap. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => (c.kill("SIGKILL"), exited(c))));
}
