import { AppError } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

/**
 * Claims a buyer's Idempotency-Key for a new order (SET NX, in the buyer's slot, before any
 * unit is reserved): null when this request now owns the key, else the order the key was
 * first used for. The same key with another request body is IDEMPOTENCY_KEY_REUSED.
 */
export async function claimKey(redis: ScriptedRedis, k: Keys, userId: string, key: string, orderId: string, requestHash: string, ttlSeconds: number): Promise<string | null> {
  const prior = await redis.set(k.idempotency(userId, key), `${orderId}|${requestHash}`, "EX", ttlSeconds, "NX", "GET");
  if (prior === null) return null;
  const sep = prior.indexOf("|");
  if (prior.slice(sep + 1) !== requestHash) throw new AppError("IDEMPOTENCY_KEY_REUSED", "this Idempotency-Key was used with a different request");
  return prior.slice(0, sep);
}

/** Lets a key go again after its order was refused or voided, so that a retry with it is a new attempt. */
export async function releaseKey(redis: ScriptedRedis, k: Keys, userId: string, key: string): Promise<void> {
  await redis.del(k.idempotency(userId, key));
}

/** The order a buyer's Idempotency-Key is claimed for, or null when it is free. */
export async function keyHolder(redis: ScriptedRedis, k: Keys, userId: string, key: string): Promise<string | null> {
  const v = await redis.get(k.idempotency(userId, key));
  return v === null ? null : v.slice(0, v.indexOf("|"));
}
