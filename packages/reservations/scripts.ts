import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "@flashsale/config";
import type { Redis } from "ioredis";

const SCRIPTS = {
  reserve: { file: "reserve.lua", keys: undefined },
  release: { file: "release.lua", keys: undefined },
  beginSettle: { file: "begin-settle.lua", keys: 3 },
  finishSettle: { file: "finish-settle.lua", keys: undefined },
  putItem: { file: "put-item.lua", keys: 3 },
  restock: { file: "restock.lua", keys: 3 },
  refund: { file: "refund.lua", keys: undefined },
} as const;

type Args = (string | number)[];

/** The Lua scripts as typed calls. ioredis runs EVALSHA and falls back to EVAL on NOSCRIPT. */
export interface ScriptedRedis extends Redis {
  reserve(numKeys: number, ...args: Args): Promise<(string | number)[]>;
  release(numKeys: number, ...args: Args): Promise<number>;
  beginSettle(...args: Args): Promise<string>;
  finishSettle(numKeys: number, ...args: Args): Promise<number>;
  putItem(...args: Args): Promise<number>;
  restock(...args: Args): Promise<number>;
  refund(numKeys: number, ...args: Args): Promise<number>;
}

/** Registers every script on a connection once; each is read from its own file. */
export function withScripts(redis: Redis): ScriptedRedis {
  for (const [name, s] of Object.entries(SCRIPTS)) {
    if ((redis as unknown as Record<string, unknown>)[name]) continue;
    const lua = readFileSync(path.join(packageRoot(import.meta.url), "scripts", s.file), "utf8");
    redis.defineCommand(name, s.keys === undefined ? { lua } : { lua, numberOfKeys: s.keys });
  }
  return redis as ScriptedRedis;
}
