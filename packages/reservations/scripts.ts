import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";
import type { Cluster, Redis } from "ioredis";

/** A single Redis server or a Redis Cluster: every command flashsale sends works on both. */
export type RedisClient = Redis | Cluster;

/** Each script's file and the preludes (shared Lua functions) put before it. */
const SCRIPTS = {
  reserve: { file: "reserve.lua" },
  voidOrder: { file: "void-order.lua", preludes: ["give-back.lua"] },
  endLines: { file: "end-lines.lua", preludes: ["give-back.lua"] },
  beginSettle: { file: "begin-settle.lua" },
  finishSettle: { file: "finish-settle.lua", preludes: ["give-back.lua"] },
  loadItem: { file: "load-item.lua" },
  restock: { file: "restock.lua" },
  refund: { file: "refund.lua" },
} satisfies Record<string, { file: string; preludes?: string[] }>;

type Args = (string | number)[];
type Run<T> = (keys: string[], ...args: Args) => Promise<T>;

/** The Lua scripts as typed calls: the keys (all in one slot), then the arguments. */
export type ScriptedRedis = RedisClient & {
  reserve: Run<(string | number)[]>;
  voidOrder: Run<number>;
  endLines: Run<number>;
  beginSettle: Run<string>;
  finishSettle: Run<number>;
  loadItem: Run<number>;
  restock: Run<number>;
  refund: Run<number[]>;
};

const source = new Map<string, string>();
const lua = (name: keyof typeof SCRIPTS) => {
  let text = source.get(name);
  if (!text) {
    const s: { file: string; preludes?: string[] } = SCRIPTS[name];
    const read = (file: string) => readFileSync(path.join(packageRoot(import.meta.url), "scripts", file), "utf8");
    text = [...(s.preludes ?? []).map(read), read(s.file)].join("\n");
    source.set(name, text);
  }
  return text;
};

/**
 * Binds every script to a connection once; each is read from its own file. ioredis runs EVALSHA
 * and falls back to EVAL on NOSCRIPT (each cluster node loads its own). A script is defined once
 * per key count, on first use, so that its first argument is always a key: ioredis routes a
 * command, and groups auto-pipelined commands by node, by its first argument. Only the variants
 * in use are defined: every auto-pipeline copies all of the client's scripts when it is made.
 */
export function withScripts(redis: RedisClient): ScriptedRedis {
  const target = redis as unknown as Record<string, unknown>;
  // Variants defined in this tick: an auto-pipeline made earlier in the tick lacks them, so their
  // calls wait until it has been sent (auto-pipelines go out on the next tick, before setImmediate).
  const settling = new Map<string, Promise<void>>();
  for (const name of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
    if (target[name]) continue;
    target[name] = (keys: string[], ...args: Args) => {
      const command = `${name}_${keys.length}`;
      const call = () => (target[command] as (...a: Args) => Promise<unknown>)(...keys, ...args);
      if (!target[command]) {
        redis.defineCommand(command, { lua: lua(name), numberOfKeys: keys.length });
        settling.set(command, new Promise<void>((resolve) => setImmediate(() => (settling.delete(command), resolve()))));
      }
      const pending = settling.get(command);
      return pending ? pending.then(call) : call();
    };
  }
  return redis as ScriptedRedis;
}
