// The OpenAPI 3.1 document of every endpoint the API serves. apps/api/openapi.json is this,
// written by `npm run openapi`; the file is what GET /openapi.json serves, and a test fails
// when the file and this source disagree.
import { accountPaths } from "./paths-accounts.ts";
import { opsPaths } from "./paths-ops.ts";
import { salePaths } from "./paths-sale.ts";
import { parameters, requestSchemas } from "./requests.ts";
import { sharedResponses } from "./responses.ts";
import { responseSchemas } from "./schemas.ts";

type Obj = Record<string, unknown>;

const DESCRIPTION = `The flash-sale API: items on sale, orders reserved in Redis and settled by workers, wallets, refunds and metrics.

Conventions: JSON in and out, camelCase; times ISO 8601 in UTC; money an integer count of the currency's minor unit
with an ISO 4217 \`currency\`; ids UUIDs. Every error is \`application/problem+json\` (RFC 9457) with a stable \`code\`.
Checks run in this order and the first that fails answers: authentication (401), permission (403), rate limit (429),
body size (413, over 1 MB), media type (415, only for requests with a body), shape (400), existence (404), then the
business rules. A request to a path or method not described here (OPTIONS included) is answered with the
\`NoSuchEndpoint\` response (404 \`NOT_FOUND\`); one the HTTP parser refuses, on any path, with \`UnparseableRequest\`
(400) or \`HeadersTooLarge\` (431). Lists take \`limit\` (1..200, default 50) and an opaque \`cursor\` and return \`{data, nextCursor}\`.`;

const TAGS: Record<string, string> = {
  health: "Liveness and readiness probes",
  users: "Accounts and sign-in",
  wallets: "Balances, the ledger, credits and debits",
  items: "The things on sale",
  orders: "Placing, reading and refunding orders",
  metrics: "Counts and timings of the sale",
  documents: "This document and the operators' dashboard",
};

const res = (name: string): Obj => ({ $ref: `#/components/responses/${name}` });
/** What the HTTP server answers on any path before an endpoint runs (http/server-refusals.ts). */
const SERVER_REFUSALS: Obj = {
  "400": res("UnparseableRequest"),
  "408": res("RequestTimeout"),
  "413": res("PayloadTooLarge"),
  "417": res("ExpectationFailed"),
  "431": res("HeadersTooLarge"),
};

/**
 * The server's refusals can answer any path, so every operation lists them (an operation's own
 * 400 and 413 cover the server's too). Then responses in numeric order of status, so the file reads top-down.
 */
function sortResponses(paths: Record<string, Obj>): Record<string, Obj> {
  const out: Record<string, Obj> = {};
  for (const [path, item] of Object.entries(paths)) {
    out[path] = Object.fromEntries(
      Object.entries(item).map(([method, op]) => {
        const o = op as { responses: Obj };
        const all = { ...SERVER_REFUSALS, ...o.responses };
        const responses = Object.fromEntries(Object.entries(all).sort(([a], [b]) => a.localeCompare(b)));
        return [method, { ...o, responses }];
      }),
    );
  }
  return out;
}

export function buildDocument(): Obj {
  const paths = { ...accountPaths, ...salePaths, ...opsPaths };
  return {
    openapi: "3.1.1",
    info: { title: "flashsale", version: "0.1.0", description: DESCRIPTION, license: { name: "UNLICENSED", identifier: "UNLICENSED" } },
    servers: [{ url: "/", description: "the origin this document is served from (npm start: port PORT, default 3000)" }],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }],
    paths: sortResponses(Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b)))),
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "`sub` is the user id, `role` is buyer (default) or operator. HS256 with JWT_SECRET; RS256 with JWT_PUBLIC_KEY or JWKS_URL.",
        },
      },
      schemas: { ...responseSchemas, ...requestSchemas },
      parameters,
      responses: sharedResponses,
    },
  };
}

/** The document as it is kept in the repository. */
export const renderDocument = (): string => `${JSON.stringify(buildDocument(), null, 2)}\n`;
