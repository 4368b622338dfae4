import { isAppError } from "@flashsale/domain";
import type { Db } from "@flashsale/db";

/**
 * The two clients a use case reads from: `db`, the primary, and `readDb`, for reads that may
 * lag it (a streaming replica when DATABASE_REPLICA_URL is set, otherwise the primary itself).
 * Only lists and counts use `readDb`: what a buyer reads right after acting (an order, a
 * balance, an item), every write and every idempotency check stay on the primary, so nobody
 * sees their own write disappear.
 */
export interface ReadDbs {
  db: Db;
  readDb: Db;
}

/**
 * Runs a read that may lag (a list, a count) on `readDb`. A replica that does not answer, or
 * fails the query for its own reasons (a recovery conflict), hands the same read to the
 * primary: a read has no effect to repeat, so an absent replica slows lists and never fails them.
 * A refusal of the request itself (an AppError other than UNAVAILABLE) is the answer either way.
 */
export async function lagging<T>(deps: ReadDbs, read: (db: Db) => Promise<T>): Promise<T> {
  if (deps.readDb === deps.db) return read(deps.db);
  try {
    return await read(deps.readDb);
  } catch (err) {
    if (isAppError(err) && err.code !== "UNAVAILABLE") throw err;
    return read(deps.db);
  }
}
