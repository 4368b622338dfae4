// A real Redis Cluster (3 masters + 3 replicas by default) for the suite, run as plain
// redis-server children on spare ports under a temp dir, as ../shared/notes/local-clusters.md
// shows. Nothing is saved but each node's nodes.conf; the machine's Redis on 6379 is never
// touched. ~13 MB of memory a node; 2-3 s to create (redis-cli --cluster create polls once a second).
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import calculateSlot from "cluster-key-slot";
import { Redis } from "ioredis";
import { waitFor } from "./wait";

const run = promisify(execFile);
const SLOTS = 16384;
const NODE_TIMEOUT_MS = 2000;

/** One node: its port (its cluster bus on port + 10000), its latest process and its dir (nodes.conf, redis.log). */
export interface RedisNode {
  port: number;
  pid: number;
  dir: string;
}

const executable = (file: string) => existsSync(file) && statSync(file).isFile() && (statSync(file).mode & 0o111) !== 0;
const onPath = (bin: string) => (process.env.PATH ?? "").split(path.delimiter).map((d) => path.join(d, bin)).find(executable);
const serverBin = () => process.env.REDIS_SERVER_BIN || onPath("redis-server");
// redis-cli beside REDIS_SERVER_BIN when it is there, else the PATH's.
const cliBin = () => [path.join(path.dirname(process.env.REDIS_SERVER_BIN ?? ""), "redis-cli")].find((f) => process.env.REDIS_SERVER_BIN && executable(f)) ?? onPath("redis-cli");

/** Why no cluster can be started here (REDIS_SERVER_BIN naming no executable, no redis-server or redis-cli on PATH), or null when one can. */
export function redisClusterUnavailable(): string | null {
  const env = process.env.REDIS_SERVER_BIN;
  if (env && !executable(env)) return `REDIS_SERVER_BIN=${env} is not an executable file`;
  if (!serverBin()) return "no redis-server on PATH (install redis-server 7 or set REDIS_SERVER_BIN)";
  if (!cliBin()) return "no redis-cli on PATH (install redis-tools 7)";
  return null;
}

// Kept on globalThis (the runner and the test files may load this module twice).
const registry = globalThis as { __flashsaleSkippedWithoutRedisCluster?: { suite: string; tests: number; reason: string }[] };
/** Suites skipped because redisClusterUnavailable() gave a reason, told by test/run.ts one line each. */
export const skippedWithoutRedisCluster = (registry.__flashsaleSkippedWithoutRedisCluster ??= []);

const listens = (port: number) =>
  new Promise<number>((resolve) => {
    const srv = createServer().once("error", () => resolve(-1));
    srv.listen(port, "127.0.0.1", () => {
      const got = (srv.address() as { port: number }).port;
      srv.close(() => resolve(got));
    });
  });

/** A spare port whose cluster bus port (port + 10000) is free too, neither in `taken`. */
async function sparePort(taken: Set<number>): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = await listens(0);
    if (port + 10000 <= 65535 && !taken.has(port) && !taken.has(port + 10000) && (await listens(port + 10000)) > 0) return port;
  }
  throw new Error("no spare port with a free bus port (port + 10000)");
}

/** Commands on one node, on a connection of their own that fails at once if the node is away; resolves with the last reply. */
async function ask(port: number, ...commands: (string | number)[][]): Promise<unknown> {
  const r = new Redis({ port, host: "127.0.0.1", lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 6000 });
  r.on("error", () => undefined);
  try {
    await r.connect();
    let reply: unknown;
    for (const [name, ...args] of commands) reply = await r.call(String(name), ...args);
    return reply;
  } finally {
    r.disconnect();
  }
}
const fields = (text: unknown) => Object.fromEntries(String(text).split(/\r?\n/).map((l) => l.split(":", 2)));
type SlotRange = [number, number, [string, number, ...unknown[]], ...unknown[]];

/** A running cluster; stop() removes every node and the temp dir, whatever state it is in. */
export class RedisCluster {
  private readonly procs = new Map<number, ChildProcess>();
  private readonly killedAt = new Map<number, number>();

  private constructor(
    readonly dir: string,
    /** Every node, killed ones included (pid: its latest process). */
    readonly nodes: RedisNode[],
  ) {}

  /** Every node's `127.0.0.1:port`, comma-separated (the value of REDIS_CLUSTER_NODES). */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(",");
  }

  /** Starts masters × (1 + replicasPerMaster) nodes, creates the cluster and waits until it has settled; removes everything if a step fails. */
  static async start(opts: { masters?: number; replicasPerMaster?: number } = {}): Promise<RedisCluster> {
    const { masters = 3, replicasPerMaster = 1 } = opts;
    const cluster = new RedisCluster(mkdtempSync(path.join(os.tmpdir(), "flashsale-redis-")), []);
    live.add(cluster);
    try {
      const taken = new Set<number>();
      for (let i = 0; i < masters * (1 + replicasPerMaster); i++) {
        const port = await sparePort(taken);
        taken.add(port).add(port + 10000);
        cluster.nodes.push({ port, pid: 0, dir: path.join(cluster.dir, String(port)) });
        mkdirSync(cluster.nodes[i]!.dir);
      }
      await Promise.all(cluster.nodes.map((n) => cluster.spawnNode(n)));
      const create = ["--cluster", "create", ...cluster.seeds.split(","), "--cluster-replicas", String(replicasPerMaster), "--cluster-yes"];
      await run(cliBin()!, create, { timeout: 60_000 }).catch((e: { stdout?: string; stderr?: string; message: string }) => {
        throw new Error(`redis-cli --cluster create: ${(e.stderr || e.stdout || e.message).trim().split("\n").slice(-3).join(" ")}`);
      });
      await cluster.settle("the new cluster");
      return cluster;
    } catch (err) {
      const log = (n: RedisNode) => (existsSync(`${n.dir}/redis.log`) ? readFileSync(`${n.dir}/redis.log`, "utf8").trim().split("\n").slice(-5).join("\n") : "");
      const logs = cluster.nodes.map((n) => `${n.port}: ${log(n)}`).join("\n");
      await cluster.stop();
      throw new Error(`the Redis Cluster did not start: ${(err as Error).message}\n${logs}`);
    }
  }

  /** The node serving `slot` now, as the first live node that answers CLUSTER SLOTS sees it. */
  async masterOf(slot: number): Promise<{ port: number }> {
    for (const port of this.procs.keys()) {
      const ranges = (await ask(port, ["CLUSTER", "SLOTS"]).catch(() => [])) as SlotRange[];
      const range = ranges.find(([from, to]) => from <= slot && slot <= to);
      if (range) return { port: range[2][1] };
    }
    throw new Error(`no live node names a master for slot ${slot}`);
  }

  /** The hash slot of a key (of its {hash tag} alone when it has one), as Redis computes it. */
  slotOf(key: string): number {
    return calculateSlot(key);
  }

  /** SIGKILLs one node (a crash: what it held in memory is lost) and waits until its port refuses connections. */
  async killNode(port: number): Promise<void> {
    const child = this.procs.get(port);
    if (!child) throw new Error(`node ${port} is not running`);
    await new Promise((resolve) => child.once("exit", resolve).kill("SIGKILL"));
    this.killedAt.set(port, Date.now());
    await waitFor(`node ${port} to refuse connections`, () => ask(port, ["PING"]).then(() => false, () => true), 5000);
  }

  /** Waits until every live node is cluster_state:ok with all slots served by live nodes (the dead master's by a promoted replica); resolves with the ms since killNode(deadPort). */
  async waitForFailover(deadPort: number, timeoutMs = 30_000): Promise<number> {
    const since = this.killedAt.get(deadPort);
    if (since === undefined || this.procs.has(deadPort)) throw new Error(`node ${deadPort} was not killed`);
    await waitFor(`the cluster to fail over from ${deadPort}`, () => this.settled(), timeoutMs, 50);
    const ms = Date.now() - since;
    await this.settle(`the cluster after ${deadPort}'s failover`);
    return ms;
  }

  /** Starts a killed node again on its nodes.conf (it rejoins, as a replica once its slots moved) and waits until the cluster has settled. */
  async restartNode(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    if (!node || this.procs.has(port)) throw new Error(`node ${port} is not a killed node of this cluster`);
    await this.spawnNode(node);
    this.killedAt.delete(port);
    await this.settle(`node ${port} to rejoin`);
  }

  /** SIGKILLs every node and removes the temp dir; safe to call twice and after a failed start. */
  async stop(): Promise<void> {
    await Promise.all([...this.procs.values()].map((c) => new Promise((resolve) => c.once("exit", resolve).kill("SIGKILL"))));
    this.removeNow();
  }

  /** Synchronous, for the exit hook and the signals: SIGKILLs the nodes, removes the dir. */
  removeNow(): void {
    for (const c of this.procs.values()) c.kill("SIGKILL");
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }

  /** Waits until settled(), then has each master write (and delete) a key of its own and WAIT for its connected replicas: after a full
   * sync a master streams nothing to a replica until that replica's first REPLCONF ACK, up to 1 s later (seen: a write 0.9 s unreplicated). */
  private async settle(what: string): Promise<void> {
    await waitFor(what, () => this.settled(), 30_000, 50);
    const masters = new Map(((await ask([...this.procs.keys()][0]!, ["CLUSTER", "SLOTS"])) as SlotRange[]).map(([from, to, [, port]]) => [port, { from, to }]));
    for (const [port, { from, to }] of masters) {
      let key = "";
      for (let i = 0, slot = -1; slot < from || slot > to; i++) slot = calculateSlot((key = `flashsale-harness-sync:${i}`));
      const replicas = Number(fields(await ask(port, ["INFO", "replication"])).connected_slaves);
      const acked = await ask(port, ["SET", key, "1"], ["DEL", key], ["WAIT", replicas, 5000]);
      if (acked !== replicas) throw new Error(`${what}: ${acked} of ${replicas} replicas of ${port} acknowledged a write`);
    }
  }

  /** Every live node: cluster_state ok, all slots served by live nodes, a replica's link to its master up. */
  private async settled(): Promise<boolean> {
    for (const port of this.procs.keys()) {
      const info = fields(await ask(port, ["CLUSTER", "INFO"]));
      const ranges = (await ask(port, ["CLUSTER", "SLOTS"])) as SlotRange[];
      const repl = fields(await ask(port, ["INFO", "replication"]));
      if (info.cluster_state !== "ok" || info.cluster_slots_ok !== String(SLOTS) || (repl.role === "slave" && repl.master_link_status !== "up")) return false;
      if (ranges.some(([, , [, master]]) => !this.procs.has(master)) || ranges.reduce((n, [from, to]) => n + to - from + 1, 0) !== SLOTS) return false;
    }
    return true;
  }

  private async spawnNode(node: RedisNode): Promise<void> {
    const args = ["--port", node.port, "--bind", "127.0.0.1", "--cluster-enabled", "yes", "--cluster-node-timeout", NODE_TIMEOUT_MS, "--cluster-config-file", path.join(node.dir, "nodes.conf")];
    // No RDB, no AOF; a replica's full sync starts at once (by default a master waits 5 s for more).
    args.push("--dir", node.dir, "--save", "", "--appendonly", "no", "--repl-diskless-sync-delay", 0, "--cluster-require-full-coverage", "no", "--logfile", path.join(node.dir, "redis.log"));
    // detached: a session of its own, so a Ctrl-C reaches the harness (which kills it) and not it first.
    const child = spawn(serverBin()!, args.map(String), { detached: true, stdio: "ignore" });
    let exited = "";
    const gone = (why: string) => ((exited ||= why), this.procs.get(node.port) === child && this.procs.delete(node.port));
    child.once("error", (err) => gone(err.message)).once("exit", (code, signal) => gone(`exited (${signal ?? code})`));
    this.procs.set(node.port, child);
    node.pid = child.pid ?? 0;
    await waitFor(`redis-server on ${node.port}`, () => (exited ? Promise.reject(new Error(`${exited} (see its redis.log)`)) : ask(node.port, ["PING"])), 10_000, 25);
  }
}

// A suite that dies before its after() hook, or a run stopped with Ctrl-C or SIGTERM, still
// leaves no node behind (the nodes run in sessions of their own, so a signal to the run misses them).
const live = new Set<RedisCluster>();
const removeLive = () => [...live].forEach((c) => c.removeNow());
process.once("exit", removeLive);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    removeLive();
    // Then die of the signal as if no handler had been installed.
    process.kill(process.pid, signal);
  });
}
