import { AppError } from "@flashsale/domain";
import { balances, creditWallet, debitWallet, ledgerPage, runIdempotent, userExists, type BalanceView, type Db, type IdempotencyScope, type Replayable } from "@flashsale/db";
import { assertSelfOrOperator, type Caller } from "../caller.ts";
import { lagging, type ReadDbs } from "../lagging-reads.ts";

type Deps = { db: Db };

/** A buyer reads only its own wallet; an operator reads anyone's, and an unknown user is NOT_FOUND. */
async function assertReadable(caller: Caller | undefined, userId: string, deps: Deps): Promise<void> {
  assertSelfOrOperator(caller, userId);
  if (caller!.role === "operator" && !(await userExists(deps.db, userId))) throw new AppError("NOT_FOUND", "no such user");
}

/** GET /users/:id/balance: every balance of the user, one per currency, from the primary (read right after a credit). */
export async function readBalances(caller: Caller | undefined, userId: string, deps: Deps): Promise<BalanceView> {
  await assertReadable(caller, userId, deps);
  return balances(deps.db, userId.toLowerCase());
}

/**
 * GET /users/:id/ledger: one page of the user's ledger, newest first, read from the replica (it
 * may lag a fresh credit; the balance does not). Whether the user exists is asked of the primary:
 * a user created a moment ago is never 404.
 */
export async function readLedger(caller: Caller | undefined, userId: string, page: { limit: number; after?: { createdAt: Date; id: string } }, deps: ReadDbs) {
  await assertReadable(caller, userId, deps);
  return lagging(deps, (db) => ledgerPage(db, userId.toLowerCase(), page.limit, page.after));
}

export interface Adjustment {
  direction: "credit" | "debit";
  userId: string;
  currency: string;
  amount: number;
}

/** An operator's credit or debit of a wallet, with its ledger row; NOT_FOUND for an unknown user, INSUFFICIENT_FUNDS for a debit past zero. */
export async function adjustWallet(input: Adjustment, scope: IdempotencyScope | undefined, deps: Deps): Promise<Replayable<{ userId: string; currency: string; amount: number }>> {
  const userId = input.userId.toLowerCase();
  if (!(await userExists(deps.db, userId))) throw new AppError("NOT_FOUND", "no such user");
  return runIdempotent(deps.db, scope, 200, async (tx) => {
    const amount =
      input.direction === "credit"
        ? await creditWallet(tx, userId, input.currency, input.amount, "CREDIT")
        : await debitWallet(tx, userId, input.currency, input.amount, "DEBIT");
    return { userId, currency: input.currency, amount };
  });
}
