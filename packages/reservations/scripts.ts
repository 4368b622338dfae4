import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";
import type { Cluster, Redis } from "ioredis";

/** A single Redis server or a Redis Cluster: every command flashsale sends works on both. */
export type RedisClient = Redis | Cluster;

/** Each script's file, its key count when fixed, and the preludes (shared Lua functions) put before it. */
const SCRIPTS: Record<string, { file: string; keys?: number; preludes?: string[] }> = {
  reserve: { file: "reserve.lua" },
  voidOrder: { file: "void-order.lua", preludes: ["give-back.lua"] },
  endLines: { file: "end-lines.lua", preludes: ["give-back.lua"] },
  beginSettle: { file: "begin-settle.lua", keys: 3 },
  finishSettle: { file: "finish-settle.lua", preludes: ["give-back.lua"] },
  loadItem: { file: "load-item.lua", keys: 5 },
  restock: { file: "restock.lua", keys: 3 },
  refund: { file: "refund.lua" },
};

type Args = (string | number)[];

/** The Lua scripts as typed calls. ioredis runs EVALSHA and falls back to EVAL on NOSCRIPT (each cluster node loads its own). */
export type ScriptedRedis = RedisClient & {
  reserve(numKeys: number, ...args: Args): Promise<(string | number)[]>;
  voidOrder(numKeys: number, ...args: Args): Promise<number>;
  endLines(numKeys: number, ...args: Args): Promise<number>;
  beginSettle(...args: Args): Promise<string>;
  finishSettle(numKeys: number, ...args: Args): Promise<number>;
  loadItem(...args: Args): Promise<number>;
  restock(...args: Args): Promise<number>;
  refund(numKeys: number, ...args: Args): Promise<number[]>;
};

/** Registers every script on a connection once; each is read from its own file. */
export function withScripts(redis: RedisClient): ScriptedRedis {
  for (const [name, s] of Object.entries(SCRIPTS)) {
    if ((redis as unknown as Record<string, unknown>)[name]) continue;
    const read = (file: string) => readFileSync(path.join(packageRoot(import.meta.url), "scripts", file), "utf8");
    const lua = [...(s.preludes ?? []).map(read), read(s.file)].join("\n");
    redis.defineCommand(name, s.keys === undefined ? { lua } : { lua, numberOfKeys: s.keys });
  }
  return redis as ScriptedRedis;
}
