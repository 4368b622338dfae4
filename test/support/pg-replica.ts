// A PostgreSQL primary and a streaming replica of the suite's own, as plain processes under a
// temp dir on spare ports (../shared/notes/local-clusters.md): initdb, pg_ctl, pg_basebackup
// from the machine's PostgreSQL 15. The machine's server on 5432 is never touched. As root the
// binaries run as the `postgres` user (initdb refuses root). ~2 s to start, ~85 MB on disk.
import { execFile, spawnSync } from "node:child_process";
import { accessSync, constants, chownSync, readFileSync, rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "../../load/bench/children";
import { repoRoot } from "./scratch-env";
import { waitFor } from "./wait";

const BIN = process.env.PG_BIN_DIR ?? "/usr/lib/postgresql/15/bin";
const DB_NAME = "flashsale";
const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

/** How to get the binaries, told by `npm test` when the replica suite is skipped. */
export const PG_REPLICA_HINT = `install PostgreSQL 15's server binaries (Debian/Ubuntu: apt-get install -y postgresql-15) or set PG_BIN_DIR to their directory`;

/** The command line that runs a PostgreSQL binary: as the `postgres` user when this process is root. */
function command(bin: string, args: string[]): [string, string[]] {
  const file = path.join(BIN, bin);
  return asRoot ? ["runuser", ["-u", "postgres", "--", file, ...args]] : [file, args];
}

async function pgTool(bin: string, args: string[]): Promise<void> {
  const [file, argv] = command(bin, args);
  try {
    await run(file, argv, { cwd: os.tmpdir(), timeout: 60_000 });
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: unknown; signal?: unknown };
    throw new Error(`${bin} ${args.join(" ")} failed (${String(e.code ?? e.signal)}): ${e.stderr?.trim() || e.message}`);
  }
}

/** Why the pair cannot run on this machine (binaries or the `postgres` user missing), or null. */
export function pgReplicaUnavailable(): string | null {
  for (const bin of ["initdb", "pg_ctl", "pg_basebackup", "postgres"]) {
    try {
      accessSync(path.join(BIN, bin), constants.X_OK);
    } catch {
      return `no ${bin} in ${BIN}`;
    }
  }
  if (asRoot && spawnSync("id", ["-u", "postgres"]).status !== 0) return "running as root and there is no postgres user to run PostgreSQL as";
  return null;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A primary with the flashsale database migrated, and a hot standby streaming from it. */
export class PgReplicaPair {
  dir = "";
  primaryPort = 0;
  replicaPort = 0;
  private readonly onExit = () => this.stopNow();
  // Ctrl-C or a CI timeout's SIGTERM: remove the pair, then die of the signal as before.
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.stopNow();
    this.unhook();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  /** Makes, starts and migrates the primary, clones it with pg_basebackup and waits for the replica to replay. On failure, removes what it made and throws. */
  async start(): Promise<this> {
    this.dir = await mkdtemp(path.join(os.tmpdir(), "flashsale-pg-"));
    // Also when the suite exits early or is interrupted: no server is left running.
    process.once("exit", this.onExit);
    process.once("SIGINT", this.onSignal);
    process.once("SIGTERM", this.onSignal);
    try {
      if (asRoot) chownSync(this.dir, Number(spawnSync("id", ["-u", "postgres"]).stdout), Number(spawnSync("id", ["-g", "postgres"]).stdout));
      this.primaryPort = await freePort();
      this.replicaPort = await freePort();
      // trust for local and 127.0.0.1, replication included (initdb's default lines with --auth).
      await pgTool("initdb", ["-D", this.data("primary"), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
      await this.startServer("primary");
      await query(this.adminUrl("primary"), `CREATE DATABASE ${DB_NAME}`);
      await this.migrate();
      // A fast checkpoint: the default (spread) would wait minutes after the migration's writes.
      await pgTool("pg_basebackup", ["-h", "127.0.0.1", "-p", String(this.primaryPort), "-U", "postgres", "-D", this.data("replica"), "-R", "-X", "stream", "--checkpoint=fast"]);
      await this.startServer("replica");
      await waitFor("the replica to replay the primary", () => this.caughtUp(), 15_000);
      return this;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  get primaryUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.primaryPort}/${DB_NAME}`;
  }

  get replicaUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.replicaPort}/${DB_NAME}`;
  }

  /** One statement on the primary or the replica, on a connection of its own. */
  query<T extends pg.QueryResultRow = Record<string, unknown>>(on: "primary" | "replica", sql: string): Promise<T[]> {
    return query<T>(on === "primary" ? this.primaryUrl : this.replicaUrl, sql);
  }

  /** Stops applying WAL on the replica (it keeps receiving it); resolves once replay has paused. */
  async pauseReplay(): Promise<void> {
    await this.query("replica", "SELECT pg_wal_replay_pause()");
    await waitFor("replay paused", async () => (await this.query<{ s: string }>("replica", "SELECT pg_get_wal_replay_pause_state() AS s"))[0]!.s === "paused", 10_000);
  }

  async resumeReplay(): Promise<void> {
    await this.query("replica", "SELECT pg_wal_replay_resume()");
  }

  /** Whether the replica has replayed everything the primary has written so far. */
  async caughtUp(): Promise<boolean> {
    const [p] = await this.query<{ lsn: string }>("primary", "SELECT pg_current_wal_lsn()::text AS lsn");
    const [r] = await this.query<{ done: boolean }>("replica", `SELECT pg_is_in_recovery() AND pg_last_wal_replay_lsn() >= '${p!.lsn}'::pg_lsn AS done`);
    return r!.done;
  }

  /** Stops the replica at once (like a crash); startReplica() brings it back and it catches up. */
  async stopReplica(): Promise<void> {
    await pgTool("pg_ctl", ["-D", this.data("replica"), "-m", "immediate", "-w", "stop"]);
  }

  async startReplica(): Promise<void> {
    await this.startServer("replica");
  }

  /**
   * SIGSTOPs every process of the replica (a wedged host): connections are accepted by the
   * kernel and never answered. thawReplica() sends SIGCONT.
   */
  freezeReplica(): void {
    for (const pid of this.replicaPids()) process.kill(pid, "SIGSTOP");
  }

  thawReplica(): void {
    for (const pid of this.replicaPids()) process.kill(pid, "SIGCONT");
  }

  private replicaPids(): number[] {
    const postmaster = Number(readFileSync(path.join(this.data("replica"), "postmaster.pid"), "utf8").split("\n")[0]);
    const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(postmaster)], { encoding: "utf8" }).stdout.split("\n").map(Number).filter(Boolean);
    return [postmaster, ...children];
  }

  /** Stops both servers and removes the directory; safe to call twice and after a failed start. */
  async stop(): Promise<void> {
    this.unhook();
    this.stopNow();
  }

  private unhook(): void {
    process.removeListener("exit", this.onExit);
    process.removeListener("SIGINT", this.onSignal);
    process.removeListener("SIGTERM", this.onSignal);
  }

  private stopNow(): void {
    if (!this.dir) return;
    try {
      this.thawReplica();
    } catch {
      // not running
    }
    for (const node of ["replica", "primary"] as const) {
      const [file, argv] = command("pg_ctl", ["-D", this.data(node), "-m", "immediate", "-w", "stop"]);
      spawnSync(file, argv, { cwd: os.tmpdir(), stdio: "ignore", timeout: 30_000 });
    }
    rmSync(this.dir, { recursive: true, force: true });
    this.dir = "";
  }

  private data(node: "primary" | "replica"): string {
    return path.join(this.dir, node);
  }

  private adminUrl(node: "primary" | "replica"): string {
    return `postgresql://postgres@127.0.0.1:${node === "primary" ? this.primaryPort : this.replicaPort}/postgres`;
  }

  private async startServer(node: "primary" | "replica"): Promise<void> {
    const port = node === "primary" ? this.primaryPort : this.replicaPort;
    // Its socket in the temp dir, TCP on 127.0.0.1 only; no fsync (a throwaway pair).
    const opts = `-p ${port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
    await pgTool("pg_ctl", ["-D", this.data(node), "-o", opts, "-l", path.join(this.dir, `${node}.log`), "-w", "-t", "30", "start"]);
  }

  // Not spawnSync: the suite's shared stack runs in this process and must keep answering
  // (~1.5 s of migrating, then ~10 s until the CLI's idle pg pool lets it exit).
  private async migrate(): Promise<void> {
    try {
      await run(path.join(repoRoot, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: repoRoot, env: { ...process.env, DATABASE_URL: this.primaryUrl }, timeout: 120_000 });
    } catch (err) {
      const e = err as { stdout?: string; stderr?: string; message: string };
      throw new Error(`prisma migrate deploy failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
    }
  }
}

/**
 * The suites skipped because the pair could not start, with their test counts and why
 * (test/run.ts prints them). Kept on globalThis: Mocha's test files and test/run.ts may load this module apart.
 */
const registry = globalThis as { __flashsaleSkippedWithoutPgReplica?: { suite: string; tests: number; reason: string }[] };
export const skippedWithoutPgReplica = (registry.__flashsaleSkippedWithoutPgReplica ??= []);
