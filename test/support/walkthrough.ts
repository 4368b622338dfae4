import { spawn } from "node:child_process";
import { repoRoot } from "./scratch-env";

const MARKER = "<!-- walkthrough: test/readme/walkthrough.test.ts runs the next sh block -->";

/** The README's walk-through: the first ```sh block after the marker. */
export function walkthroughBlock(readme: string): string {
  const at = readme.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no line ${MARKER}`);
  const m = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
  if (!m) throw new Error("README.md: no ```sh block after the walk-through marker");
  return m[1]!;
}

/** Runs a script in `bash -euo pipefail` from the repository root, with the environment plus `env`. */
export function runBash(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}
