import { z } from "zod";

/** Shapes shared by several routes. Ids are UUIDs (any version). */
export const Id = z.guid().meta({ description: "any UUID version, either case" });
export const IdParam = z.object({ id: Id });
/** Text the database can hold: PostgreSQL refuses NUL and Prisma refuses unpaired UTF-16 surrogates (both were 500s). */
export const Text = z.string().refine((s) => !/[\u0000\p{Cs}]/u.test(s), "must not contain NUL or unpaired surrogate characters").meta({ description: "must not contain NUL or unpaired surrogate characters" });
/** Every date of a request, query or body, is parsed by this one schema. */
export { Instant, parseInstant } from "./instant.ts";
export const Currency = z.string().regex(/^[A-Z]{3}$/, "an ISO 4217 code such as USD");
/** Minor units: a whole number, never a float, small enough to add safely. */
export const Amount = z.number().int().min(1).max(1_000_000_000_000).meta({ description: "minor units" });
