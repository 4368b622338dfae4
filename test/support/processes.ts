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

/** Resolves with the exit code (or signal) once the process has ended. */
export function exited(child: ChildProcess): Promise<number | string> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode ?? child.signalCode!);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
}

/** Kills every process a test spawned and did not reap. */
export async function killAll(): Promise<void> {
  await Promise.all([...children].map((c) => (c.kill("SIGKILL"), exited(c))));
}
