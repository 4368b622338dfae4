// Component schemas of the OpenAPI document (JSON Schema 2020-12): what the API answers,
// from the view functions (itemView, orderView, UserView, LedgerView, metricsSnapshot, ...).
import { ERROR_CODES, ORDER_STATUSES, REJECTION_REASONS } from "@flashsale/domain";

type Schema = Record<string, unknown>;
export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });

const uuid: Schema = { type: "string", format: "uuid" };
const time: Schema = { type: "string", format: "date-time", description: "ISO 8601, UTC" };
const minor: Schema = { type: "integer", minimum: 0, description: "an amount in the currency's minor unit (cents, yen); never a float" };
const closed = (required: string[], properties: Record<string, Schema>, extra: Schema = {}): Schema => ({
  type: "object",
  required,
  properties,
  additionalProperties: false,
  ...extra,
});
const page = (item: string, what: string): Schema =>
  closed(["data", "nextCursor"], {
    data: { type: "array", items: ref(item) },
    nextCursor: { type: ["string", "null"], description: `opaque; pass it as \`cursor\` for the next page of ${what}, null on the last page` },
  });

export const responseSchemas: Record<string, Schema> = {
  Currency: { type: "string", pattern: "^[A-Z]{3}$", description: "ISO 4217 code (USD, JPY); reward points are `PTS`", examples: ["USD"] },
  Health: closed(["status"], { status: { const: "ok" } }),
  Readiness: closed(["status", "checks"], { status: { const: "ok" }, checks: ref("ReadinessChecks") }),
  ReadinessChecks: closed(["postgres", "redis", "rabbitmq"], {
    postgres: { enum: ["ok", "down"] },
    redis: { enum: ["ok", "down"] },
    rabbitmq: { enum: ["ok", "down"] },
    replica: { enum: ["ok", "down"], description: "only with DATABASE_REPLICA_URL; never makes the API unready (lists then read the primary)" },
  }),
  User: closed(["id", "email", "role", "createdAt"], {
    id: uuid,
    email: { type: "string", description: "stored lower-case; unique case-insensitively" },
    role: { enum: ["buyer", "operator"] },
    createdAt: time,
  }),
  Token: closed(["accessToken", "tokenType", "expiresIn"], {
    accessToken: { type: "string", description: "an HS256 JWT; `sub` is the user id, `role` its role" },
    tokenType: { const: "Bearer" },
    expiresIn: { type: "integer", minimum: 1, description: "seconds" },
  }),
  Balance: closed(["userId", "balances"], {
    userId: uuid,
    balances: {
      type: "array",
      description: "one entry per currency the user has a wallet in, ordered by currency",
      items: closed(["currency", "amount"], { currency: ref("Currency"), amount: minor }),
    },
  }),
  WalletBalance: closed(["userId", "currency", "amount"], { userId: uuid, currency: ref("Currency"), amount: { ...minor, description: "the new balance" } }),
  LedgerEntry: closed(["id", "currency", "delta", "reason", "createdAt"], {
    id: uuid,
    currency: ref("Currency"),
    delta: { type: "integer", description: "signed, in minor units; a balance is the sum of its ledger's deltas" },
    reason: { enum: ["CREDIT", "DEBIT", "PURCHASE", "REFUND", "REWARD"] },
    orderId: { ...uuid, description: "the order a PURCHASE, REFUND or REWARD belongs to" },
    createdAt: time,
  }),
  LedgerPage: page("LedgerEntry", "the ledger, newest first"),
  Item: closed(["id", "name", "price", "currency", "stock", "remaining", "maxPerUser", "startsAt", "endsAt", "rewardRate", "state", "createdAt"], {
    id: uuid,
    name: { type: "string", minLength: 1, maxLength: 200 },
    price: { ...minor, description: "unit price in minor units" },
    currency: ref("Currency"),
    stock: { type: "integer", minimum: 0, description: "units ever put on sale (created plus restocked)" },
    remaining: { type: "integer", minimum: 0, description: "units not yet reserved, live from the reservation gate" },
    maxPerUser: { type: "integer", minimum: 1 },
    startsAt: time,
    endsAt: { type: ["string", "null"], format: "date-time", description: "null: the sale never ends" },
    rewardRate: { type: "number", minimum: 0, maximum: 1, description: "share of the price credited as PTS points, rounded down per order line" },
    state: { enum: ["scheduled", "live", "sold_out", "ended"] },
    createdAt: time,
  }),
  ItemPage: page("Item", "items, newest first"),
  OrderLine: closed(["itemId", "quantity", "price"], {
    itemId: uuid,
    quantity: { type: "integer", minimum: 1, maximum: 1000 },
    price: { ...minor, description: "the unit price when the order was placed" },
  }),
  OrderStatus: { enum: [...ORDER_STATUSES] },
  Order: closed(
    ["id", "userId", "status", "items", "total", "currency", "rewardPoints", "createdAt"],
    {
      id: uuid,
      userId: uuid,
      status: ref("OrderStatus"),
      reason: {
        enum: [...REJECTION_REASONS, "RETRIES_EXHAUSTED"],
        description: `only on REJECTED (${REJECTION_REASONS.join(", ")}) and FAILED (RETRIES_EXHAUSTED) orders`,
      },
      items: { type: "array", minItems: 1, items: ref("OrderLine") },
      total: { ...minor, description: "the sum of price × quantity" },
      currency: ref("Currency"),
      rewardPoints: { type: "integer", minimum: 0, description: "PTS credited when it completed (0 until then)" },
      createdAt: time,
      startedAt: { ...time, description: "when a worker took it" },
      completedAt: { ...time, description: "when it reached its final settled status" },
    },
    {
      allOf: [
        { if: { required: ["status"], properties: { status: { const: "REJECTED" } } }, then: { required: ["reason"], properties: { reason: { enum: [...REJECTION_REASONS] } } } },
        { if: { required: ["status"], properties: { status: { const: "FAILED" } } }, then: { required: ["reason"], properties: { reason: { const: "RETRIES_EXHAUSTED" } } } },
        { if: { required: ["status"], properties: { status: { enum: ["PENDING", "PROCESSING", "COMPLETED", "REFUNDED"] } } }, then: { properties: { reason: false } } },
      ],
    },
  ),
  OrderStatusOnly: closed(["status"], { status: ref("OrderStatus") }),
  OrderPage: page("Order", "orders, newest first"),
  Metrics: closed(["totalOrders", "orderCounts", "averageProcessingTimeMs", "queue"], {
    totalOrders: { type: "integer", minimum: 0 },
    orderCounts: closed(
      [...ORDER_STATUSES],
      Object.fromEntries(ORDER_STATUSES.map((s) => [s, { type: ["integer", "null"], minimum: 0, description: s === "PENDING" || s === "PROCESSING" ? "from Redis; null while it does not answer" : "from PostgreSQL" }])),
    ),
    averageProcessingTimeMs: { type: ["integer", "null"], description: "mean of completedAt - createdAt over COMPLETED orders; null while there are none" },
    queue: closed(["depth", "consumers", "deadLettered"], {
      depth: { type: ["integer", "null"], minimum: 0 },
      consumers: { type: ["integer", "null"], minimum: 0 },
      deadLettered: { type: ["integer", "null"], minimum: 0 },
    }, { description: "from the broker; each null while it does not answer" }),
  }),
  FieldIssue: closed(["path", "message"], { path: { type: "string" }, message: { type: "string" } }),
  Problem: {
    type: "object",
    description: "RFC 9457 problem details; `code` is stable and machine-readable",
    required: ["type", "title", "status", "detail", "code"],
    properties: {
      type: { type: "string", format: "uri", examples: ["https://flashsale.dev/problems/sold-out"] },
      title: { type: "string" },
      status: { type: "integer", minimum: 400, maximum: 599 },
      detail: { type: "string" },
      code: { enum: [...ERROR_CODES] },
      errors: { type: "array", items: ref("FieldIssue"), description: "VALIDATION_FAILED: each field that failed (at most 20)" },
    },
  },
  ReadinessProblem: {
    allOf: [ref("Problem")],
    required: ["checks", "unavailable"],
    properties: {
      checks: ref("ReadinessChecks"),
      unavailable: { type: "array", minItems: 1, items: { enum: ["postgres", "redis", "rabbitmq"] } },
    },
  },
  OpenApiDocument: {
    type: "object",
    required: ["openapi", "info", "paths", "components"],
    properties: { openapi: { type: "string", pattern: "^3\\.1\\." }, info: { type: "object" }, paths: { type: "object" }, components: { type: "object" } },
  },
};
