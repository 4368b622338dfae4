import { z } from "zod";
import { AppError } from "@flashsale/domain";
import { parseInstant } from "./instant.ts";

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
});

/** Opaque cursors: base64url of the last row's sort key. */
export function encodeCursor(pos: { createdAt: Date; id: string } | null): string | null {
  return pos ? Buffer.from(JSON.stringify([pos.createdAt.toISOString(), pos.id])).toString("base64url") : null;
}

export function decodeCursor(cursor: string | undefined): { createdAt: Date; id: string } | undefined {
  if (!cursor) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [unknown, unknown];
    // The one date parser: a time outside the years 1..9999 is no cursor we issued, and the database cannot compare it (was a 500).
    const createdAt = typeof at === "string" ? parseInstant(at) : undefined;
    if (!createdAt || typeof id !== "string" || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new Error();
    return { createdAt, id };
  } catch {
    throw new AppError("VALIDATION_FAILED", "cursor: not a cursor this API issued");
  }
}
