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

const REST_MS = 5000;
// When each replica client last failed: for REST_MS after that its reads go straight to the
// primary, so a wedged replica costs one slow read per rest, not every list its timeout.
const failedAt = new WeakMap<Db, number>();
const resting = (readDb: Db) => Date.now() - (failedAt.get(readDb) ?? -Infinity) < REST_MS;

/**
 * Runs a read that may lag (a list, a count) on `readDb`. A replica that does not answer, or
 * fails the query for its own reasons (a recovery conflict, a timeout), hands the same read to
 * the primary, and the next reads too for a few seconds: a read has no effect to repeat, so an
 * absent replica slows a list at most once and never fails it. A refusal of the request itself
 * (an AppError other than UNAVAILABLE) is the answer either way.
 */
export async function lagging<T>(deps: ReadDbs, read: (db: Db) => Promise<T>): Promise<T> {
  if (deps.readDb === deps.db || resting(deps.readDb)) return read(deps.db);
  try {
    return await read(deps.readDb);
  } catch (err) {
    if (isAppError(err) && err.code !== "UNAVAILABLE") throw err;
    failedAt.set(deps.readDb, Date.now());
    return read(deps.db);
  }
}

/** What a readiness probe learnt of the replica: answering, its reads resume at once; not, they rest on the primary. */
export function replicaProbed(readDb: Db, answered: boolean): void {
  if (answered) failedAt.delete(readDb);
  else failedAt.set(readDb, Date.now());
}
