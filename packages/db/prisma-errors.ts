import { AppError, type ErrorCode } from "@flashsale/domain";

const CONSTRAINTS: [RegExp, ErrorCode, string][] = [
  [/wallets_amount_nonnegative/, "INSUFFICIENT_FUNDS", "the balance would go below zero"],
  [/item_stock_buckets_remaining_nonnegative/, "SOLD_OUT", "not enough units left"],
  [/holdings_within_limit/, "LIMIT_EXCEEDED", "past the item's limit per buyer"],
];

/**
 * Turns a Prisma or PostgreSQL error into a coded AppError where it is a refusal the caller
 * can understand (unique email, CHECK constraints); anything else is rethrown untouched.
 */
export function translateDbError(err: unknown, uniqueCode: ErrorCode = "VALIDATION_FAILED"): never {
  const e = err as { code?: string; message?: string; meta?: unknown };
  if (e?.code === "P2002") throw new AppError(uniqueCode, "already exists");
  const text = `${e?.message ?? ""} ${JSON.stringify(e?.meta ?? "")}`;
  for (const [pattern, code, message] of CONSTRAINTS) if (pattern.test(text)) throw new AppError(code, message);
  throw err;
}
