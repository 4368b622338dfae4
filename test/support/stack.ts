import { randomUUID } from "node:crypto";
import { parseConfig, type Config } from "@flashsale/config";
import { start as startApi, issueToken, type RunningApi } from "@flashsale/api";
import { start as startWorker, type RunningWorker } from "@flashsale/worker";
import { creditWallet } from "@flashsale/db";
import { pino } from "pino";
import { useTopology } from "./broker";
import { createBuyers } from "../../load/fixtures/buyers";

export interface Stack {
  cfg: Config;
  api: RunningApi;
  workers: RunningWorker[];
  url: string;
  operator: string;
  stop(): Promise<void>;
  addWorker(): Promise<RunningWorker>;
}

/** The test environment with overrides, parsed like the real processes parse theirs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ ...process.env, PORT: "0", ...overrides });
}

/** An API and `workers` settle workers in this process, on the run's database and Redis prefix. */
export async function startStack(opts: { workers?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const cfg = testConfig(opts.env);
  useTopology(cfg.queue);
  const log = pino({ level: cfg.logLevel });
  const api = await startApi(cfg, log);
  const workers: RunningWorker[] = [];
  const addWorker = async () => {
    const w = await startWorker(cfg, log);
    workers.push(w);
    return w;
  };
  for (let i = 0; i < (opts.workers ?? 2); i++) await addWorker();
  return {
    cfg,
    api,
    workers,
    url: `http://127.0.0.1:${api.port}`,
    operator: issueToken(cfg.jwt, { id: randomUUID(), role: "operator" }).accessToken,
    addWorker,
    async stop() {
      await Promise.all(workers.map((w) => w.stop()));
      await api.stop();
    },
  };
}

/** A fresh queue prefix, so a test's messages meet only its own workers. */
export function isolatedQueue(): Record<string, string> {
  return { QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-${randomUUID().slice(0, 8)}` };
}

export interface Buyer {
  id: string;
  token: string;
}

/** A buyer with funded wallets, written straight to the database (fixtures, not behaviour under test). */
export async function makeBuyer(stack: Stack, funds: Record<string, number> = { USD: 100_000 }): Promise<Buyer> {
  const id = randomUUID();
  const db = stack.api.deps.db;
  await db.user.create({ data: { id, email: `buyer-${id}@test.flashsale`, role: "buyer" } });
  for (const [currency, amount] of Object.entries(funds)) {
    if (amount > 0) await db.$transaction((tx) => creditWallet(tx, id, currency, amount, "CREDIT"), { maxWait: 30_000, timeout: 30_000 });
  }
  return { id, token: issueToken(stack.cfg.jwt, { id, role: "buyer" }).accessToken };
}

/** Many buyers with one funded wallet each, in a few multi-row INSERTs (the load fixtures' code). */
export async function makeBuyers(stack: Stack, count: number, balance: number, currency = "USD"): Promise<Buyer[]> {
  return createBuyers(stack.api.deps.db, stack.cfg.jwt, { count, balance, currency });
}
