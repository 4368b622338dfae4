import express, { type RequestHandler } from "express";
import { createHash } from "node:crypto";
import { AppError } from "@flashsale/domain";
import { IdempotencyKey } from "./requests.ts";

const LIMIT = 1024 * 1024;
const parseJson = express.json({ limit: LIMIT, type: () => true, strict: false });
const discardBody = express.raw({ limit: LIMIT, type: () => true });

function carriesBody(req: Parameters<RequestHandler>[0]): boolean {
  const len = req.headers["content-length"];
  return (len !== undefined && len !== "0") || req.headers["transfer-encoding"] !== undefined;
}

/**
 * Reads a JSON body in the contract's order of checks: size (413, over 1 MB) before media type
 * (415, only when a body is sent) before shape (400, left to the route's schema).
 */
export const jsonBody: RequestHandler = (req, res, next) => {
  if (!carriesBody(req)) {
    req.body = undefined;
    return next();
  }
  const len = Number(req.headers["content-length"]);
  if (Number.isFinite(len) && len > LIMIT) throw new AppError("PAYLOAD_TOO_LARGE", "the body is larger than 1 MB");
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json" && !/^application\/[a-z0-9.+-]*\+json$/.test(type)) {
    const refused = new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
    if (Number.isFinite(len)) throw refused;
    // Chunked: the size shows only once read, and an oversized body is 413 before it is 415.
    // A chunked body of no bytes is no body (a client that sent `Expect: 100-continue` and
    // then nothing), and 415 applies only to a body.
    return discardBody(req, res, (err?: unknown) => {
      if (err) return next(err);
      const empty = !Buffer.isBuffer(req.body) || req.body.length === 0;
      req.body = undefined;
      next(empty ? undefined : refused);
    });
  }
  parseJson(req, res, next);
};

/** The optional Idempotency-Key header (1..255 characters). */
export function idempotencyKey(req: Parameters<RequestHandler>[0]): string | undefined {
  const key = req.headers["idempotency-key"];
  if (key === undefined) return undefined;
  if (typeof key !== "string" || !IdempotencyKey.safeParse(key).success) {
    throw new AppError("VALIDATION_FAILED", "Idempotency-Key must be 1 to 255 characters");
  }
  return key;
}

/** The (caller, Idempotency-Key, request fingerprint) of a POST, or undefined without a key. */
export function idempotencyScope(req: Parameters<RequestHandler>[0], body: unknown): { userId: string; key: string; requestHash: string } | undefined {
  const key = idempotencyKey(req);
  return key && req.auth ? { userId: req.auth.sub, key, requestHash: requestHash(req.method, req.path, body) } : undefined;
}

/** A fingerprint of what a request asks for, to tell a repeat from a different request under one key. */
export function requestHash(method: string, path: string, body: unknown): string {
  return createHash("sha256").update(`${method} ${path}\n${canonical(body)}`).digest("base64url");
}

function canonical(v: unknown): string {
  // A parsed date has no own keys: without this every startsAt would hash alike.
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}
