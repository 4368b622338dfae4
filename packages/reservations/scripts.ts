import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";
import type { Cluster, Redis } from "ioredis";

/** A single Redis server or a Redis Cluster: every command flashsale sends works on both. */
export type RedisClient = Redis | Cluster;

/** Each script's file, the preludes (shared Lua functions) put before it, and its key count for a one-line order. */
const SCRIPTS = {
  reserve: { file: "reserve.lua", oneLine: 7 },
  voidOrder: { file: "void-order.lua", preludes: ["give-back.lua"], oneLine: 6 },
  endLines: { file: "end-lines.lua", preludes: ["give-back.lua"], oneLine: 3 },
  beginSettle: { file: "begin-settle.lua", oneLine: 3 },
  finishSettle: { file: "finish-settle.lua", preludes: ["give-back.lua"], oneLine: 6 },
  loadItem: { file: "load-item.lua", oneLine: 5 },
  restock: { file: "restock.lua", oneLine: 3 },
  refund: { file: "refund.lua", oneLine: 4 },
} satisfies Record<string, { file: string; preludes?: string[]; oneLine: number }>;

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
 * per key count, so that its first argument is always a key: ioredis routes a command, and groups
 * auto-pipelined commands by node, by its first argument.
 * An auto-pipeline copies the client's scripts when it is made (so each one defined costs every
 * pipeline), and one made before a script was defined lacks it. So the one-line variants, the
 * hot path, are defined here, before the client sends anything; a variant for more lines is
 * defined on first use and never auto-pipelined.
 */
export function withScripts(redis: RedisClient): ScriptedRedis {
  const target = redis as unknown as Record<string, unknown>;
  const notPipelined = [...(redis.options.autoPipeliningIgnoredCommands ?? [])];
  redis.options.autoPipeliningIgnoredCommands = notPipelined;
  for (const name of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
    if (target[name]) continue;
    const define = (keyCount: number) => redis.defineCommand(`${name}_${keyCount}`, { lua: lua(name), numberOfKeys: keyCount });
    define(SCRIPTS[name].oneLine);
    target[name] = (keys: string[], ...args: Args) => {
      const command = `${name}_${keys.length}`;
      if (!target[command]) {
        notPipelined.push(command);
        define(keys.length);
      }
      return (target[command] as (...a: Args) => Promise<unknown>)(...keys, ...args);
    };
  }
  return redis as ScriptedRedis;
}
