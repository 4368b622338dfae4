// Request bodies and parameters of the OpenAPI document, mirroring the routes' zod schemas
// (routes/*.ts, http/schemas.ts, http/paging.ts): the same bounds, formats and defaults.
import { ORDER_STATUSES } from "@flashsale/domain";

type Schema = Record<string, unknown>;
const text = "must not contain NUL or unpaired surrogate characters";
const instant: Schema = { type: "string", format: "date-time", description: "ISO 8601 with an offset (Z or ±hh:mm), years 1..9999 in UTC" };
const uuid: Schema = { type: "string", format: "uuid", description: "any UUID version, either case" };

export const requestSchemas: Record<string, Schema> = {
  NewUser: {
    type: "object",
    required: ["email"],
    properties: {
      email: { type: "string", format: "email", maxLength: 254 },
      password: { type: "string", minLength: 8, maxLength: 200, description: "without one the user cannot log in with POST /auth/token" },
      role: { enum: ["buyer", "operator"], default: "buyer" },
    },
  },
  Login: {
    type: "object",
    required: ["email", "password"],
    properties: { email: { type: "string", maxLength: 254, description: text }, password: { type: "string", maxLength: 200 } },
  },
  WalletAdjustment: {
    type: "object",
    required: ["amount", "currency"],
    properties: {
      amount: { type: "integer", minimum: 1, maximum: 1_000_000_000_000, description: "minor units" },
      currency: { type: "string", pattern: "^[A-Z]{3}$" },
    },
  },
  NewItem: {
    type: "object",
    required: ["name", "price", "currency", "stock"],
    properties: {
      name: { type: "string", minLength: 1, maxLength: 200, description: `trimmed before the length is checked; ${text}` },
      price: { type: "integer", minimum: 0, maximum: 100_000_000_000, description: "unit price in minor units" },
      currency: { type: "string", pattern: "^[A-Z]{3}$" },
      stock: { type: "integer", minimum: 0, maximum: 10_000_000 },
      maxPerUser: { type: "integer", minimum: 1, maximum: 1000, default: 1 },
      startsAt: { ...instant, description: `${instant.description}; default now` },
      endsAt: { type: ["string", "null"], format: "date-time", description: "default null (never); a time in the past is allowed: the item is simply `ended`" },
      rewardRate: { type: "number", minimum: 0, maximum: 1, default: 0 },
    },
  },
  Restock: {
    type: "object",
    required: ["quantity"],
    properties: { quantity: { type: "integer", minimum: 1, maximum: 10_000_000, description: "added to `stock` and `remaining`" } },
  },
  PlaceOrder: {
    type: "object",
    required: ["items"],
    properties: {
      items: {
        type: "array",
        minItems: 1,
        maxItems: 20,
        description: "each item at most once; every line is checked atomically together",
        items: {
          type: "object",
          required: ["itemId", "quantity"],
          properties: { itemId: uuid, quantity: { type: "integer", minimum: 1, maximum: 1000 } },
        },
      },
    },
  },
  RefundRequest: { type: "object", additionalProperties: false, maxProperties: 0, description: "no body, or `{}`: a refund is always of the whole order" },
};

export const parameters: Record<string, Schema> = {
  Id: { name: "id", in: "path", required: true, schema: uuid, description: "an id that is not a UUID is 400" },
  Limit: { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 200, default: 50 } },
  Cursor: { name: "cursor", in: "query", required: false, schema: { type: "string", maxLength: 500 }, description: "the `nextCursor` of the previous page" },
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    schema: { type: "string", minLength: 1, maxLength: 255 },
    description:
      "A repeat with the same key and body returns the first response (same status, body and ids) and does nothing again; " +
      "the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped per user and kept at least 24 h. Refusals are not stored.",
  },
  OrderStatusFilter: { name: "status", in: "query", required: false, schema: { enum: [...ORDER_STATUSES] } },
  ItemIdFilter: { name: "itemId", in: "query", required: false, schema: uuid, description: "orders with a line of this item" },
  UserIdFilter: { name: "userId", in: "query", required: false, schema: uuid, description: "operators only; a buyer always sees its own orders" },
  From: { name: "from", in: "query", required: false, schema: instant, description: "createdAt at or after this time; not after `to`" },
  To: { name: "to", in: "query", required: false, schema: instant, description: "createdAt before this time (exclusive)" },
};
