import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Where development keeps its JWT secret: beside `.env`, git-ignored, never in the repository. */
export const DEV_SECRET_FILE = ".jwt-secret";

/**
 * The development JWT secret: read from `.jwt-secret` in the working directory, created there
 * (random, 32 bytes) by whichever process needs it first. No secret a reader of the repository
 * knows is accepted (a fixed one was, so anyone could mint an operator token). The file is
 * linked into place whole, so a process starting at the same moment reads all of it or none.
 */
export function developmentSecret(dir = process.cwd()): string {
  const file = path.join(dir, DEV_SECRET_FILE);
  try {
    return readFileSync(file, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(tmp);
  }
  return readFileSync(file, "utf8").trim();
}
