import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";
import type { Cluster, Redis } from "ioredis";

/** A single Redis server or a Redis Cluster: every command flashsale sends works on both. */
export type RedisClient = Redis | Cluster;

/** An order's most lines (POST /orders allows 20): every key count of up to that many lines is defined up front. */
const MAX_LINES = 20;
const lineCounts = (fixed: number, perLine: number) => Array.from({ length: MAX_LINES }, (_, i) => fixed + perLine * (i + 1));

/** Each script's file, the preludes (shared Lua functions) put before it, and the key counts it is called with. */
const SCRIPTS = {
  reserve: { file: "reserve.lua", keyCounts: lineCounts(2, 5) },
  voidOrder: { file: "void-order.lua", preludes: ["give-back.lua"], keyCounts: lineCounts(3, 3) },
  endLines: { file: "end-lines.lua", preludes: ["give-back.lua"], keyCounts: lineCounts(0, 3) },
  beginSettle: { file: "begin-settle.lua", keyCounts: [3] },
  finishSettle: { file: "finish-settle.lua", preludes: ["give-back.lua"], keyCounts: lineCounts(3, 3) },
  loadItem: { file: "load-item.lua", keyCounts: [5] },
  restock: { file: "restock.lua", keyCounts: [3] },
  refund: { file: "refund.lua", keyCounts: lineCounts(0, 4) },
} satisfies Record<string, { file: string; preludes?: string[]; keyCounts: number[] }>;

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
 * auto-pipelined commands by node, by its first argument. All of them are defined here, before
 * any command is sent: an auto-pipeline copies the client's scripts when it is made, and one
 * defined after that in the same tick would be missing from it.
 */
export function withScripts(redis: RedisClient): ScriptedRedis {
  const target = redis as unknown as Record<string, unknown>;
  for (const name of Object.keys(SCRIPTS) as (keyof typeof SCRIPTS)[]) {
    if (target[name]) continue;
    const define = (keyCount: number) => redis.defineCommand(`${name}_${keyCount}`, { lua: lua(name), numberOfKeys: keyCount });
    for (const n of SCRIPTS[name].keyCounts) define(n);
    target[name] = (keys: string[], ...args: Args) => {
      const command = `${name}_${keys.length}`;
      if (!target[command]) throw new Error(`${name} is defined for ${SCRIPTS[name].keyCounts.join(", ")} keys, not ${keys.length}`);
      return (target[command] as (...a: Args) => Promise<unknown>)(...keys, ...args);
    };
  }
  return redis as ScriptedRedis;
}
