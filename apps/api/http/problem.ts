import type { ServerResponse } from "node:http";
import type { ErrorRequestHandler, Response } from "express";
import { ZodError } from "zod";
import { AppError, isAppError, type ErrorCode } from "@flashsale/domain";
import type { Logger } from "pino";

/** The only table from error codes to HTTP statuses. */
export const STATUS_OF: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MIXED_CURRENCY: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  ITEM_NOT_FOUND: 404,
  ORDER_NOT_FOUND: 404,
  EMAIL_TAKEN: 409,
  SOLD_OUT: 409,
  LIMIT_EXCEEDED: 409,
  SALE_NOT_STARTED: 409,
  SALE_ENDED: 409,
  INSUFFICIENT_FUNDS: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  NOT_REFUNDABLE: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
};

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  417: "Expectation Failed",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * The RFC 9457 document of a coded error, at the code's status or at one only the HTTP server
 * itself answers (408, 417, 431: a request it could not take, still a coded problem).
 */
export function problemDocument(err: AppError, status: number = STATUS_OF[err.code], extra: Record<string, unknown> = {}) {
  return {
    type: `https://flashsale.dev/problems/${err.code.toLowerCase().replace(/_/g, "-")}`,
    title: TITLES[status] ?? "Error",
    status,
    detail: err.message,
    code: err.code,
    ...(err.extra.issues ? { errors: err.extra.issues } : {}),
    ...extra,
  };
}

/** Writes an RFC 9457 problem document for a coded error. */
export function sendProblem(res: Response, err: AppError, extra: Record<string, unknown> = {}): void {
  if (err.extra.retryAfterSeconds !== undefined) res.set("Retry-After", String(err.extra.retryAfterSeconds));
  const doc = problemDocument(err, STATUS_OF[err.code], extra);
  res.status(doc.status).type("application/problem+json").json(doc);
}

/**
 * The same document on a bare Node response (the server's own refusals, before Express), at a
 * status only the server answers; the connection closes after it. A HEAD's body is dropped by
 * ServerResponse itself.
 */
export function writeProblem(res: ServerResponse, err: AppError, status: number): void {
  const body = JSON.stringify(problemDocument(err, status));
  res.writeHead(status, { "Content-Type": "application/problem+json; charset=utf-8", "Content-Length": Buffer.byteLength(body), Connection: "close" });
  res.end(body);
}

/**
 * The same document as raw HTTP/1.1, for refusals made where there is no Express response (the
 * parser's errors, upgrades): it closes the connection, and a HEAD gets the head only.
 */
export function rawProblem(err: AppError, opts: { status?: number; head?: boolean } = {}): string {
  const doc = problemDocument(err, opts.status);
  const body = JSON.stringify(doc);
  const head =
    `HTTP/1.1 ${doc.status} ${doc.title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  return opts.head ? head : head + body;
}

/** Body-parser's own errors, by their `type`, as contract codes. */
function fromBodyParser(err: { type?: string; status?: number }): AppError | null {
  switch (err.type) {
    case "entity.too.large":
      return new AppError("PAYLOAD_TOO_LARGE", "the body is larger than 1 MB");
    case "entity.parse.failed":
      return new AppError("VALIDATION_FAILED", "the body is not valid JSON");
    case "encoding.unsupported":
    case "charset.unsupported":
      return new AppError("UNSUPPORTED_MEDIA_TYPE", "unsupported body encoding or charset");
    case "request.aborted":
    case "request.size.invalid":
    case "stream.encoding.set":
    case "stream.not.readable":
    case "parameters.too.many":
      return new AppError("VALIDATION_FAILED", "the body could not be read");
  }
  // Anything else Express itself refused as the client's fault (a malformed URL escape, ...).
  if (typeof err.status === "number" && err.status >= 400 && err.status < 500) {
    if (err.status === 413) return new AppError("PAYLOAD_TOO_LARGE", "the body is larger than 1 MB");
    if (err.status === 415) return new AppError("UNSUPPORTED_MEDIA_TYPE", "unsupported media type");
    return new AppError("VALIDATION_FAILED", "the request could not be read");
  }
  return null;
}

export function fromZod(err: ZodError): AppError {
  const issues = err.issues.slice(0, 20).map((i) => ({ path: i.path.join(".") || "(body)", message: i.message }));
  const first = issues[0];
  return new AppError("VALIDATION_FAILED", first ? `${first.path}: ${first.message}` : "invalid request", { issues });
}

/**
 * Redis or the broker not answering is 503, not 500. Database errors never get here raw:
 * packages/db turns them into AppErrors at its boundary (translateDbError).
 */
function fromInfrastructure(err: { name?: string; code?: string; message?: string }): AppError | null {
  const text = `${err.name ?? ""} ${err.code ?? ""} ${err.message ?? ""}`;
  // ioredis' words for a server or a Redis Cluster that cannot answer (a failover under way included).
  if (/MaxRetriesPerRequest|ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection is closed|Stream isn't writeable|Cluster isn't ready|Cluster is disconnected|None of startup nodes|CLUSTERDOWN|Too many Cluster redirections|TRYAGAIN|Command timed out/i.test(text)) {
    return new AppError("UNAVAILABLE", "a service flashsale depends on is unavailable; try again shortly");
  }
  return null;
}

/** The only error middleware: coded errors as problem+json, anything else a generic 500. */
export function problemHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const coded =
      err instanceof ZodError ? fromZod(err) : isAppError(err) ? err : fromBodyParser(err as { type?: string; status?: number }) ?? fromInfrastructure(err as Error);
    if (coded) return sendProblem(res, coded);
    log.error({ err, method: req.method, url: req.originalUrl }, "unhandled error");
    if (res.headersSent) return res.end();
    sendProblem(res, new AppError("INTERNAL", "something went wrong on our side"));
  };
}
