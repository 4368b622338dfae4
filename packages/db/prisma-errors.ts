import { AppError, isAppError, type ErrorCode } from "@flashsale/domain";

const CONSTRAINTS: [RegExp, ErrorCode, string][] = [
  [/wallets_amount_nonnegative/, "INSUFFICIENT_FUNDS", "the balance would go below zero"],
  [/item_stock_buckets_remaining_nonnegative/, "SOLD_OUT", "not enough units left"],
  [/holdings_within_limit/, "LIMIT_EXCEEDED", "past the item's limit per buyer"],
];

// PostgreSQL not reachable, a connection lost, or no connection free in time (Prisma's P1001,
// P1002, P1017, P2024 and node-postgres' own words).
const UNREACHABLE = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|P1001|P1002|P1017|P2024|Can't reach database|Connection terminated|timeout exceeded when trying to connect/i;

/**
 * Turns a Prisma or PostgreSQL error into a coded AppError: a unique violation (as
 * `uniqueCode`), the CHECK constraints, a number too large for its column (22003: the
 * request's own values, VALIDATION_FAILED) and an unreachable database (UNAVAILABLE).
 * An AppError passes as it is; anything else is rethrown untouched.
 */
export function translateDbError(err: unknown, uniqueCode: ErrorCode = "VALIDATION_FAILED"): never {
  if (isAppError(err)) throw err;
  const e = err as { name?: string; code?: string; message?: string; meta?: unknown };
  if (e?.code === "P2002") throw new AppError(uniqueCode, "already exists");
  const meta = JSON.stringify(e?.meta ?? "");
  const text = `${e?.message ?? ""} ${meta}`;
  for (const [pattern, code, message] of CONSTRAINTS) if (pattern.test(text)) throw new AppError(code, message);
  if (e?.code === "P2020" || /ValueOutOfRange|"22003"/.test(meta)) {
    throw new AppError("VALIDATION_FAILED", "a number in the request is larger than flashsale can store");
  }
  if (UNREACHABLE.test(`${e?.name ?? ""} ${e?.code ?? ""} ${e?.message ?? ""}`)) {
    throw new AppError("UNAVAILABLE", "a service flashsale depends on is unavailable; try again shortly");
  }
  throw err;
}

/** The function with every database error it throws translated (translateDbError): the package's boundary. */
export function guarded<A extends unknown[], R>(fn: (...args: A) => Promise<R>, uniqueCode?: ErrorCode): (...args: A) => Promise<R> {
  return (...args) => fn(...args).catch((err: unknown) => translateDbError(err, uniqueCode));
}
