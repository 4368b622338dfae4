// Every request body, query and path parameter the routes parse, as zod schemas. The routes
// parse with these, and the OpenAPI document's request schemas and parameters are generated
// from them (openapi/requests.ts, zod's JSON Schema output), so the two cannot disagree.
// `.meta()` adds what JSON Schema shows but zod cannot check by itself (a format, a text).
import { z } from "zod";
import { ORDER_STATUSES } from "@flashsale/domain";
import { PageQuery } from "./paging.ts";
import { Amount, Currency, Id, Instant, Text } from "./schemas.ts";

const instant = (description: string) => Instant.meta({ format: "date-time", description: `ISO 8601 with an offset (Z or ±hh:mm), years 1..9999 in UTC; ${description}` });

export const NewUser = z.object({
  email: z.email().max(254),
  password: z.string().min(8).max(200).optional().meta({ description: "without one the user cannot log in with POST /auth/token" }),
  role: z.enum(["buyer", "operator"]).default("buyer"),
});

export const Login = z.object({ email: Text.max(254), password: z.string().max(200) });

export const WalletAdjustment = z.object({ amount: Amount, currency: Currency });

export const NewItem = z.object({
  // The length is checked before trimming and the text must have a non-space character, so
  // what the document says (maxLength, pattern) is exactly what is accepted.
  name: Text.max(200)
    .regex(/\S/, "must not be blank")
    .trim()
    .meta({ description: "stored trimmed; must not contain NUL or unpaired surrogate characters" }),
  price: z.number().int().min(0).max(100_000_000_000).meta({ description: "unit price in minor units" }),
  currency: Currency,
  stock: z.number().int().min(0).max(10_000_000),
  maxPerUser: z.number().int().min(1).max(1000).default(1),
  startsAt: instant("default now").optional(),
  endsAt: instant("default null (never); a time in the past is allowed: the item is simply `ended`").nullable().optional(),
  rewardRate: z.number().min(0).max(1).default(0),
});

export const Restock = z.object({ quantity: z.number().int().min(1).max(10_000_000).meta({ description: "added to `stock` and `remaining`" }) });

export const PlaceOrder = z.object({
  items: z
    .array(z.object({ itemId: Id, quantity: z.number().int().min(1).max(1000) }))
    .min(1)
    .max(20)
    .refine((lines) => new Set(lines.map((l) => l.itemId.toLowerCase())).size === lines.length, "each item may appear once")
    .meta({ description: "each item at most once; every line is checked atomically together" }),
});

/** No body, or an empty object: a refund is always of the whole order. */
export const RefundRequest = z.strictObject({}).meta({ description: "no body, or `{}`: a refund is always of the whole order" });

// Strict: a misspelt filter is a 400, not a silently unfiltered list.
export const HistoryQuery = z
  .strictObject({
    ...PageQuery.shape,
    status: z.enum(ORDER_STATUSES).optional(),
    itemId: Id.optional().meta({ description: "orders with a line of this item" }),
    userId: Id.optional().meta({ description: "operators only; a buyer always sees its own orders" }),
    from: instant("createdAt at or after this time; not after `to`").optional(),
    to: instant("createdAt before this time (exclusive)").optional(),
  })
  // zod runs this even when a field failed (its value then still the raw text, or an array): compare only two Dates.
  .refine((q) => !(q.from instanceof Date && q.to instanceof Date) || q.from.getTime() <= q.to.getTime(), { path: ["from"], message: "must not be after `to`" });

export const IdempotencyKey = z.string().min(1).max(255);

/** The bodies, by the name the document gives their schema. */
export const requestBodies = { NewUser, Login, WalletAdjustment, NewItem, Restock, PlaceOrder, RefundRequest } as const;
