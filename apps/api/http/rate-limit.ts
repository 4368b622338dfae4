import type { RequestHandler } from "express";
import { RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@flashsale/domain";
import type { Keys, RedisClient } from "@flashsale/reservations";

export interface RateLimits {
  userPerSec: number;
  ipPerSec: number;
}

/**
 * Per-user and per-address limits in Redis (shared by every API process), via
 * rate-limiter-flexible. 0 turns a limit off. If Redis cannot answer, the request goes on:
 * the reservation step will answer 503 on its own.
 */
export function rateLimit(redis: RedisClient, k: Keys, limits: RateLimits, scope: string): RequestHandler {
  const make = (points: number, kind: string) =>
    points > 0 ? new RateLimiterRedis({ storeClient: redis, keyPrefix: k.rateLimit(scope, kind), points, duration: 1 }) : null;
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

/**
 * A per-account limit for logins, keyed by the email asked for (the caller is not known yet),
 * at RATE_LIMIT_USER_PER_SEC: guessing one account's password is slowed whatever the address.
 */
export function loginAttemptLimit(redis: RedisClient, k: Keys, perSec: number): (email: string) => Promise<void> {
  const limiter = perSec > 0 ? new RateLimiterRedis({ storeClient: redis, keyPrefix: k.rateLimit("login", "email"), points: perSec, duration: 1 }) : null;
  return async (email) => {
    try {
      await limiter?.consume(email.trim().toLowerCase());
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        throw new AppError("RATE_LIMITED", "too many login attempts for this account; slow down", {
          retryAfterSeconds: Math.max(1, Math.ceil(err.msBeforeNext / 1000)),
        });
      }
    }
  };
}

export interface ApiLimits {
  /** POST /orders: per buyer and per address. */
  orders: RequestHandler;
  /** POST /auth/token: per address. */
  login: RequestHandler;
  /** POST /auth/token: per account asked for. */
  loginAttempt: (email: string) => Promise<void>;
}

/** The API's limits, built once by createApp over its Redis connection. */
export function apiLimits(redis: RedisClient, k: Keys, limits: RateLimits): ApiLimits {
  return {
    orders: rateLimit(redis, k, limits, "orders"),
    login: rateLimit(redis, k, { userPerSec: 0, ipPerSec: limits.ipPerSec }, "login"),
    loginAttempt: loginAttemptLimit(redis, k, limits.userPerSec),
  };
}
