// Building blocks for operations: problem responses whose `status` and `code` are pinned to
// what the operation can answer (codes mapped to statuses by http/problem.ts's STATUS_OF).
import type { ErrorCode } from "@flashsale/domain";
import { STATUS_OF } from "../http/problem.ts";
import { ref } from "./schemas.ts";

type Obj = Record<string, unknown>;

/** A JSON success response; `narrow` adds constraints to the named schema (e.g. one status). */
export function json(description: string, schema: string, headers: Obj = {}, narrow?: Obj): Obj {
  const s = narrow ? { allOf: [ref(schema)], ...narrow } : ref(schema);
  return { description, ...(Object.keys(headers).length ? { headers } : {}), content: { "application/json": { schema: s } } };
}

export const locationHeader = (of: string): Obj => ({
  Location: { required: true, description: `the new ${of}'s URL`, schema: { type: "string", pattern: `^/${of}s/[0-9a-f-]{36}$` } },
});

export const retryAfterHeader: Obj = {
  "Retry-After": { required: true, description: "seconds to wait before trying again", schema: { type: "integer", minimum: 1 } },
};

/** A problem+json response for these codes, which must all map to one status. */
export function problem(description: string, codes: ErrorCode[], opts: { schema?: string; headers?: Obj } = {}): Obj {
  const statuses = new Set(codes.map((c) => STATUS_OF[c]));
  if (statuses.size !== 1) throw new Error(`codes of different statuses in one response: ${codes.join(", ")}`);
  const status = [...statuses][0]!;
  return {
    description,
    ...(opts.headers ? { headers: opts.headers } : {}),
    content: {
      "application/problem+json": {
        schema: { allOf: [ref(opts.schema ?? "Problem")], properties: { status: { const: status }, code: { enum: codes } } },
      },
    },
  };
}

/** A refusal of the HTTP server with a status of its own and code VALIDATION_FAILED (http/server-refusals.ts). */
function serverProblem(status: number, description: string): Obj {
  return {
    description: `${description} (status ${status}, code VALIDATION_FAILED)`,
    content: { "application/problem+json": { schema: { allOf: [ref("Problem")], properties: { status: { const: status }, code: { enum: ["VALIDATION_FAILED"] } } } } },
  };
}

const r = (name: string): Obj => ({ $ref: `#/components/responses/${name}` });

/** The problems most operations share, kept once under components.responses. */
export const sharedResponses: Record<string, Obj> = {
  ValidationFailed: problem("The request's shape is wrong: body, query, an id that is not a UUID, or an Idempotency-Key over 255 characters; or Node's HTTP parser refused the request (a malformed header line, a duplicate Content-Length)", ["VALIDATION_FAILED"]),
  Unauthenticated: problem("No bearer token, or one that is malformed, expired, not yet valid, badly signed or of a refused algorithm", ["UNAUTHENTICATED"]),
  Forbidden: problem("The token's role may not do this", ["FORBIDDEN"]),
  PayloadTooLarge: problem("The body is over 1 MB (or, on any path, its chunk extensions are too large)", ["PAYLOAD_TOO_LARGE"]),
  UnsupportedMediaType: problem("A body was sent that is not application/json", ["UNSUPPORTED_MEDIA_TYPE"]),
  IdempotencyKeyReused: problem("This Idempotency-Key was used with a different request", ["IDEMPOTENCY_KEY_REUSED"]),
  RateLimited: problem("Too many requests from this user or address", ["RATE_LIMITED"], { headers: retryAfterHeader }),
  Unavailable: problem("PostgreSQL, Redis or RabbitMQ did not answer; nothing was changed", ["UNAVAILABLE"]),
  Internal: problem("A fault on flashsale's side (never caused by bad input)", ["INTERNAL"]),
  NoSuchEndpoint: problem("No endpoint has this path and method (OPTIONS included): every request the document does not describe is answered so", ["NOT_FOUND"]),
  // Answered by Node's HTTP parser for any path, before an endpoint runs; code VALIDATION_FAILED.
  UnparseableRequest: problem("Any request Node's HTTP parser refuses (a malformed header line, a duplicate Content-Length)", ["VALIDATION_FAILED"]),
  HeadersTooLarge: serverProblem(431, "Any request whose headers are over 16 KB, answered before an endpoint runs"),
  RequestTimeout: serverProblem(408, "A request whose headers or body did not arrive in time; the connection is closed"),
  ExpectationFailed: serverProblem(417, "An `Expect` other than `100-continue`; the connection is closed"),
};

/** The refusals an operation can give, by kind, in the contract's order of checks. */
export function refusals(kinds: { auth?: "any" | "operator" | "buyer"; limited?: boolean; body?: boolean; shape?: boolean; idempotent?: boolean; deps?: boolean }): Obj {
  const out: Obj = {};
  if (kinds.shape ?? true) out["400"] = r("ValidationFailed");
  if (kinds.auth) out["401"] = r("Unauthenticated");
  if (kinds.auth === "operator" || kinds.auth === "buyer") out["403"] = r("Forbidden");
  if (kinds.body) out["413"] = r("PayloadTooLarge");
  if (kinds.body) out["415"] = r("UnsupportedMediaType");
  if (kinds.idempotent) out["422"] = r("IdempotencyKeyReused");
  if (kinds.limited) out["429"] = r("RateLimited");
  out["500"] = r("Internal");
  if (kinds.deps ?? true) out["503"] = r("Unavailable");
  return out;
}

export const bearer = [{ bearer: [] }];
export const publicAccess: unknown[] = [];
export const param = (name: string): Obj => ({ $ref: `#/components/parameters/${name}` });
export const body = (schema: string, required = true): Obj => ({ required, content: { "application/json": { schema: ref(schema) } } });
