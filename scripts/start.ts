// `npm start`: applies migrations, then runs one API and WORKERS worker processes in the
// foreground. A child that dies unexpectedly is restarted with backoff, as an orchestrator
// would; SIGTERM or Ctrl-C stops all of them gracefully (each drains) and exits 0.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { config, packageRoot } from "@flashsale/config";

const root = packageRoot(import.meta.url);
const cfg = config();
const say = (msg: string) => process.stdout.write(`[flashsale] ${msg}\n`);

async function ensureDatabase() {
  const url = new URL(cfg.databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = "/postgres";
  const c = new pg.Client({ connectionString: url.toString() });
  await c.connect();
  try {
    const { rowCount } = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) {
      await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      say(`created database ${name}`);
    }
  } finally {
    await c.end();
  }
}

function migrate() {
  const r = spawnSync(path.join(root, "node_modules/.bin/prisma"), ["migrate", "deploy"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) {
    say(`migrations failed (${r.status ?? r.signal ?? r.error?.message}); not starting`);
    process.exit(1);
  }
}

interface Slot {
  name: string;
  app: "api" | "worker";
  env: Record<string, string>;
  child?: ChildProcess;
  restarts: number;
  startedAt: number;
}

let stopping = false;
const slots: Slot[] = [];

function run(slot: Slot) {
  slot.startedAt = Date.now();
  const child = spawn(process.execPath, [path.join(root, `apps/${slot.app}/dist/main.js`)], {
    cwd: root,
    env: { ...process.env, ...slot.env },
    stdio: "inherit",
  });
  slot.child = child;
  say(`${slot.name} started (pid ${child.pid})`);
  child.on("exit", (code, signal) => {
    slot.child = undefined;
    if (stopping) return;
    // A child that ran a while before dying starts over at the shortest delay.
    if (Date.now() - slot.startedAt > 30_000) slot.restarts = 0;
    const delay = Math.min(30_000, 500 * 2 ** slot.restarts++);
    say(`${slot.name} exited (${signal ?? code}); restarting in ${delay} ms`);
    setTimeout(() => !stopping && run(slot), delay);
  });
}

async function stopAll(signal: NodeJS.Signals) {
  if (stopping) return;
  stopping = true;
  say(`${signal}: stopping ${slots.filter((s) => s.child).length} processes`);
  await Promise.all(
    slots.map((s) => {
      const child = s.child;
      if (!child) return undefined;
      return new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        child.kill("SIGTERM");
      });
    }),
  );
  say("stopped");
  process.exit(0);
}

await ensureDatabase();
migrate();
slots.push({ name: "api", app: "api", env: {}, restarts: 0, startedAt: 0 });
for (let i = 0; i < cfg.workers; i++) {
  const port = cfg.workerMetricsPort === 0 ? 0 : cfg.workerMetricsPort + i;
  slots.push({ name: `worker-${i + 1}`, app: "worker", env: { WORKER_METRICS_PORT: String(port) }, restarts: 0, startedAt: 0 });
}
slots.forEach(run);
say(`running api on :${cfg.port} and ${cfg.workers} workers`);
process.on("SIGTERM", () => void stopAll("SIGTERM"));
process.on("SIGINT", () => void stopAll("SIGINT"));
