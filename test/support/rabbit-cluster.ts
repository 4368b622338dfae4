// A real 3-node RabbitMQ cluster for the cluster suite, run as plain processes on spare ports
// under a temp dir, as ../shared/notes/local-clusters.md shows: a private HOME (its own Erlang
// cookie), an empty env file (never /etc/rabbitmq's, which names the machine's rabbit@localhost)
// and node names of this run, so the machine's node and port 5672 are never touched.
import { spawn, execFile, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync } from "node:fs";
import { connect, createServer } from "node:net";
import { randomBytes } from "node:crypto";
import os from "node:os";
import path from "node:path";
import { waitFor } from "./wait";

const BIN = process.env.RABBITMQ_BIN ?? "/usr/lib/rabbitmq/bin";

export interface RabbitNode {
  /** Erlang node name, e.g. fs1-abc@localhost. */
  name: string;
  port: number;
  url: string;
  dir: string;
  env: NodeJS.ProcessEnv;
  child?: ChildProcess;
}

export interface QueueInfo {
  name: string;
  type: string;
  leader: string;
  members: string[];
  /** The members whose node is up. */
  online: string[];
  arguments: Record<string, unknown>;
}

/** Why no cluster can be started here (no RabbitMQ server scripts), or null when one can. */
export function clusterUnavailable(): string | null {
  for (const bin of ["rabbitmq-server", "rabbitmqctl"]) {
    if (!existsSync(path.join(BIN, bin))) return `no ${path.join(BIN, bin)} (install rabbitmq-server or set RABBITMQ_BIN)`;
  }
  return null;
}

// Kept on globalThis (the runner and the test files may load this module twice): suites
// skipped for want of a cluster, told by test/run.ts in one line.
const registry = globalThis as { __flashsaleSkippedWithoutRabbitCluster?: { suite: string; tests: number; reason: string }[] };
export const skippedWithoutRabbitCluster = (registry.__flashsaleSkippedWithoutRabbitCluster ??= []);

async function sparePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** A running cluster; stop() removes every node and its files, whatever state it is in. */
export class RabbitCluster {
  private constructor(
    readonly dir: string,
    readonly nodes: RabbitNode[],
  ) {}

  /** Every node's AMQP URL, in order (the value of RABBITMQ_URLS). */
  get urls(): string[] {
    return this.nodes.map((n) => n.url);
  }

  /** Starts `size` nodes and joins them to the first; removes everything if any step fails. */
  static async start(size = 3): Promise<RabbitCluster> {
    const dir = mkdtempSync(path.join(os.tmpdir(), "flashsale-rabbit-"));
    const home = path.join(dir, "home");
    mkdirSync(home);
    writeFileSync(path.join(home, ".erlang.cookie"), randomBytes(20).toString("hex").toUpperCase(), { mode: 0o400 });
    const tag = randomBytes(3).toString("hex");
    const nodes: RabbitNode[] = [];
    for (let i = 1; i <= size; i++) {
      const nodeDir = path.join(dir, String(i));
      mkdirSync(nodeDir);
      const port = await sparePort();
      const distPort = await sparePort();
      writeFileSync(path.join(nodeDir, "rabbitmq-env.conf"), "");
      writeFileSync(path.join(nodeDir, "rabbitmq.conf"), `listeners.tcp.local = 127.0.0.1:${port}\n`);
      writeFileSync(path.join(nodeDir, "enabled_plugins"), "[].\n");
      const name = `fs${i}-${tag}@localhost`;
      nodes.push({
        name,
        port,
        url: `amqp://guest:guest@127.0.0.1:${port}`,
        dir: nodeDir,
        env: {
          ...cleanEnv(),
          HOME: home,
          RABBITMQ_CONF_ENV_FILE: path.join(nodeDir, "rabbitmq-env.conf"),
          RABBITMQ_CONFIG_FILE: path.join(nodeDir, "rabbitmq"),
          RABBITMQ_NODENAME: name,
          RABBITMQ_NODE_PORT: String(port),
          RABBITMQ_DIST_PORT: String(distPort),
          RABBITMQ_MNESIA_BASE: path.join(nodeDir, "mnesia"),
          RABBITMQ_LOG_BASE: path.join(nodeDir, "log"),
          RABBITMQ_PID_FILE: path.join(nodeDir, "rabbit.pid"),
          RABBITMQ_ENABLED_PLUGINS_FILE: path.join(nodeDir, "enabled_plugins"),
          // One scheduler: three nodes share this machine's cores with the rest of the suite.
          RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS: "+S 1:1 -kernel inet_dist_use_interface {127,0,0,1}",
        },
      });
    }
    const cluster = new RabbitCluster(dir, nodes);
    live.add(cluster);
    try {
      await Promise.all(nodes.map((n) => cluster.startNode(n)));
      for (const n of nodes.slice(1)) {
        await cluster.ctl(n, "stop_app");
        await cluster.ctl(n, "join_cluster", nodes[0]!.name);
        await cluster.ctl(n, "start_app");
      }
      return cluster;
    } catch (err) {
      const logs = nodes.map((n) => tail(path.join(n.dir, "server.log"))).join("\n");
      await cluster.stop();
      throw new Error(`the RabbitMQ cluster did not start: ${(err as Error).message}\n${logs}`);
    }
  }

  /** rabbitmqctl against one node, with the cluster's cookie; resolves with its stdout. */
  ctl(node: RabbitNode, ...args: string[]): Promise<string> {
    return new Promise((resolve, reject) =>
      execFile(path.join(BIN, "rabbitmqctl"), ["-n", node.name, ...args], { env: node.env, timeout: 60_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`rabbitmqctl ${args.join(" ")} on ${node.name}: ${(stderr || stdout || err.message).trim().split("\n")[0]}`)) : resolve(stdout),
      ),
    );
  }

  /** Starts (or restarts, with its data) one node and waits until it serves. */
  async startNode(node: RabbitNode): Promise<void> {
    const log = openSync(path.join(node.dir, "server.log"), "a");
    // detached: a session of its own (setsid), so a Ctrl-C to the suite does not reach it first.
    node.child = spawn(path.join(BIN, "rabbitmq-server"), [], { env: node.env, detached: true, stdio: ["ignore", log, log] });
    closeSync(log);
    const child = node.child;
    let exited = false;
    child.once("exit", () => (exited = true));
    // The AMQP listener opens last in a node's boot; polling it is cheap, where each rabbitmqctl
    // call boots an Erlang VM (half a second of CPU the starting nodes need).
    await waitFor(
      `${node.name} listening on ${node.port}`,
      async () => {
        if (exited) throw new Error(`rabbitmq-server exited (see ${node.dir}/server.log)`);
        return listening(node.port);
      },
      90_000,
      100,
    );
    await this.ctl(node, "await_startup", "--timeout", "60");
  }

  /** Stops one node (as an operator would: rabbitmqctl stop) and waits until it is gone. */
  async stopNode(node: RabbitNode): Promise<void> {
    await this.ctl(node, "stop").catch(() => undefined);
    killNode(node);
  }

  /** A queue's type, leader, members and arguments, as the cluster (through `via`) reports them. */
  async queue(name: string, via?: RabbitNode): Promise<QueueInfo | undefined> {
    const node = via ?? this.nodes[0]!;
    const out = await this.ctl(node, "list_queues", "-q", "--formatter", "json", "name", "type", "leader", "members", "online", "arguments");
    const rows = JSON.parse(out) as (Omit<QueueInfo, "arguments"> & { arguments: [string, string, unknown][] })[];
    const row = rows.find((r) => r.name === name);
    return row && { ...row, arguments: Object.fromEntries(row.arguments.map(([k, , v]) => [k, v])) };
  }

  node(name: string): RabbitNode {
    const n = this.nodes.find((x) => x.name === name);
    if (!n) throw new Error(`no node ${name} in the cluster`);
    return n;
  }

  /** Stops every node and deletes the temp dir (kills what does not stop). */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.stopNode(n)));
    rmSync(this.dir, { recursive: true, force: true });
    live.delete(this);
  }
}

/** SIGKILLs a node's Erlang VM (pid file) and its launching script, if still there. */
function killNode(node: RabbitNode): void {
  const pidFile = path.join(node.dir, "rabbit.pid");
  const pids = [existsSync(pidFile) ? Number(readFileSync(pidFile, "utf8").trim()) : 0, node.child?.pid ?? 0];
  for (const pid of pids) {
    if (pid > 0) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  rmSync(pidFile, { force: true });
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("RABBITMQ_") && !k.startsWith("ERL_")));
}

function tail(file: string): string {
  try {
    return readFileSync(file, "utf8").split("\n").slice(-15).join("\n");
  } catch {
    return "";
  }
}

// A suite that dies before its after() hook, or a run stopped with Ctrl-C, still leaves no
// node behind (the nodes run in sessions of their own, so a signal to the run misses them).
const live = new Set<RabbitCluster>();
function removeLive(): void {
  for (const c of live) {
    for (const n of c.nodes) killNode(n);
    rmSync(c.dir, { recursive: true, force: true });
  }
  live.clear();
}
process.once("exit", removeLive);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    removeLive();
    // Then die of the signal as if no handler had been installed.
    process.kill(process.pid, signal);
  });
}
