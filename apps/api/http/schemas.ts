import { z } from "zod";

/** Shapes shared by several routes. Ids are UUIDs (any version). */
export const Id = z.guid();
export const IdParam = z.object({ id: Id });
export const Currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
/** Minor units: a whole number, never a float, small enough to add safely. */
export const Amount = z.number().int().positive().max(1_000_000_000_000);
