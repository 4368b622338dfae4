import type { RequestHandler } from "express";
import type { Redis } from "ioredis";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@flashsale/domain";

export interface RateLimits {
  userPerSec: number;
  ipPerSec: number;
}

/**
 * Per-user and per-address limits in Redis (shared by every API process), via
 * rate-limiter-flexible. 0 turns a limit off. If Redis cannot answer, the request goes on:
 * the reservation step will answer 503 on its own.
 */
export function rateLimit(redis: Redis, prefix: string, limits: RateLimits, scope: string): RequestHandler {
  const make = (points: number, kind: string) =>
    points > 0 ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `${prefix}rl:${scope}:${kind}`, points, duration: 1 }) : null;
  const perUser = make(limits.userPerSec, "user");
  const perIp = make(limits.ipPerSec, "ip");
  return async (req, _res, next) => {
    try {
      // Both in the same tick: the auto-pipelining client sends them in one round trip.
      await Promise.all([perIp?.consume(req.ip ?? "unknown"), req.auth ? perUser?.consume(req.auth.sub) : undefined]);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new AppError("RATE_LIMITED", "too many requests; slow down", {
          retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
        });
      }
    }
    next();
  };
}
