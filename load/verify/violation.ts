import type { Db } from "@flashsale/db";

/** One broken invariant, named by the CONTRACT's invariant number, with what was found. */
export interface Violation {
  invariant: 1 | 2 | 3 | 4 | 5;
  check: string;
  detail: string;
}

/** Rows of a read-only query; bigint sums are cast to text by the queries and read back with Number(). */
export function rows<T>(db: Db, sql: string, ...params: unknown[]): Promise<T[]> {
  return db.$queryRawUnsafe<T[]>(sql, ...params);
}

/** At most this many rows of one kind are listed; the count says how many there were. */
export const LIST_LIMIT = 20;

/** The first LIST_LIMIT rows as violations, and one more naming how many were left out. */
export function listed<T>(found: T[], make: (row: T) => Violation): Violation[] {
  const out = found.slice(0, LIST_LIMIT).map(make);
  const last = out[out.length - 1];
  if (last && found.length > LIST_LIMIT) out.push({ ...last, detail: `… and ${found.length - LIST_LIMIT} more of the same` });
  return out;
}
