import { z } from "zod";

// Date and time with a mandatory offset (Z or ±hh:mm), seconds and a fraction optional.
const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/;

/**
 * The instant an ISO 8601 text names, or undefined unless it is a real calendar moment in the
 * years 1..9999 once in UTC. The years are what PostgreSQL (no year 0) and Date#toISOString
 * (six digits past 9999) both hold: `9999-12-31T23:59:59-01:00` and
 * `0001-01-01T00:00:00+01:00` fall outside and were 500s. Built by hand, not by Date.parse,
 * which takes `2024-02-30`, two-digit years as 19xx and other shapes it happens to know.
 */
export function parseInstant(text: string): Date | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
  const [offH, offM] = [Number(m[9] ?? 0), Number(m[10] ?? 0)];
  if (month! < 1 || month! > 12 || hour! > 23 || minute! > 59 || second! > 59 || offH > 23 || offM > 59) return undefined;
  const at = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0..99 as written.
  at.setUTCFullYear(year!, month! - 1, day!);
  if (at.getUTCMonth() !== month! - 1 || at.getUTCDate() !== day) return undefined; // 2023-02-29, 04-31
  at.setUTCHours(hour!, minute!, second!, ms);
  const offsetMs = (m[8] === "-" ? -1 : 1) * (offH * 60 + offM) * 60_000;
  const utc = new Date(at.getTime() - offsetMs);
  const y = utc.getUTCFullYear();
  return y >= 1 && y <= 9999 ? utc : undefined;
}

/** The one schema of every date a request carries (query or body): the text as a Date, else 400 VALIDATION_FAILED. */
export const Instant = z.string().transform((text, ctx) => {
  const at = parseInstant(text);
  if (at) return at;
  ctx.addIssue({ code: "custom", message: "must be an ISO 8601 date and time with an offset (e.g. 2024-06-01T12:00:00Z), in the years 1 to 9999 (UTC)" });
  return z.NEVER;
});
