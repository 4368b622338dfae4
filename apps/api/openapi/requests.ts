// Request bodies and parameters of the OpenAPI document, generated from the zod schemas the
// routes parse with (http/requests.ts, http/paging.ts, http/schemas.ts) by zod's JSON Schema
// output: no hand mirror. Refinements zod cannot express in JSON Schema (no NUL, each item once,
// `from` not after `to`) are written as descriptions by the schemas' `.meta()`.
import { z } from "zod";
import { HistoryQuery, IdempotencyKey, requestBodies } from "../http/requests.ts";
import { PageQuery } from "../http/paging.ts";
import { IdParam } from "../http/schemas.ts";

type Schema = Record<string, unknown>;

/** What a client sends (`io: "input"`: defaults make a field optional, a date is its text). */
export function jsonSchema(schema: z.ZodType): Schema {
  const { $schema: _, ...out } = z.toJSONSchema(schema, { io: "input", target: "draft-2020-12", unrepresentable: "any" }) as Schema;
  return out;
}

export const requestSchemas: Record<string, Schema> = Object.fromEntries(Object.entries(requestBodies).map(([name, s]) => [name, jsonSchema(s)]));

const query = (name: string, s: z.ZodType, description?: string): Schema => {
  const schema = jsonSchema(s);
  const text = description ?? (schema.description as string | undefined);
  delete schema.description;
  return { name, in: "query", required: false, schema, ...(text ? { description: text } : {}) };
};

const history = HistoryQuery.shape;
const page = PageQuery.shape;

export const parameters: Record<string, Schema> = {
  Id: { name: "id", in: "path", required: true, schema: jsonSchema(IdParam.shape.id), description: "any UUID version, either case; an id that is not a UUID is 400" },
  Limit: query("limit", page.limit),
  Cursor: query("cursor", page.cursor, "the `nextCursor` of the previous page"),
  IdempotencyKey: {
    name: "Idempotency-Key",
    in: "header",
    required: false,
    schema: jsonSchema(IdempotencyKey),
    description:
      "A repeat with the same key and body returns the first response (same status, body and ids) and does nothing again; " +
      "the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED. Keys are scoped per user and kept at least 24 h. Refusals are not stored.",
  },
  OrderStatusFilter: query("status", history.status),
  ItemIdFilter: query("itemId", history.itemId),
  UserIdFilter: query("userId", history.userId),
  From: query("from", history.from),
  To: query("to", history.to),
};
