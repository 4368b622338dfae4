import { randomUUID } from "node:crypto";
import { AppError } from "@flashsale/domain";
import type { Db, Tx } from "./client.ts";

export interface BalanceView {
  userId: string;
  balances: { currency: string; amount: number }[];
}

/** Every balance of a user, one per currency, ordered by currency. */
export async function balances(db: Db, userId: string): Promise<BalanceView> {
  const rows = await db.wallet.findMany({ where: { userId }, orderBy: { currency: "asc" } });
  return { userId, balances: rows.map((w) => ({ currency: w.currency, amount: Number(w.amount) })) };
}

/** Adds to a wallet and writes its ledger row in the caller's transaction (one statement); returns the new balance. */
export async function creditWallet(tx: Tx, userId: string, currency: string, amount: number, reason: "CREDIT" | "REFUND" | "REWARD", orderId?: string): Promise<number> {
  const rows = await tx.$queryRaw<{ amount: bigint }[]>`
    WITH w AS (
      INSERT INTO wallets (user_id, currency, amount, updated_at) VALUES (${userId}::uuid, ${currency}, ${amount}, now())
      ON CONFLICT (user_id, currency) DO UPDATE SET amount = wallets.amount + EXCLUDED.amount, updated_at = now()
      RETURNING amount
    ), l AS (
      INSERT INTO ledger_entries (id, user_id, currency, delta, reason, order_id, created_at)
      SELECT ${randomUUID()}::uuid, ${userId}::uuid, ${currency}, ${amount}, ${reason}::"LedgerReason", ${orderId ?? null}::uuid, now() FROM w
    )
    SELECT amount FROM w`;
  return Number(rows[0]!.amount);
}

/**
 * Takes from a wallet only if it holds enough (a guarded UPDATE, never read-then-write) and
 * writes its ledger row in the same statement; INSUFFICIENT_FUNDS otherwise. Returns the new balance.
 */
export async function debitWallet(tx: Tx, userId: string, currency: string, amount: number, reason: "DEBIT" | "PURCHASE" | "REWARD", orderId?: string): Promise<number> {
  const rows = await tx.$queryRaw<{ amount: bigint }[]>`
    WITH w AS (
      UPDATE wallets SET amount = amount - ${amount}, updated_at = now()
      WHERE user_id = ${userId}::uuid AND currency = ${currency} AND amount >= ${amount}
      RETURNING amount
    ), l AS (
      INSERT INTO ledger_entries (id, user_id, currency, delta, reason, order_id, created_at)
      SELECT ${randomUUID()}::uuid, ${userId}::uuid, ${currency}, ${-amount}, ${reason}::"LedgerReason", ${orderId ?? null}::uuid, now() FROM w
    )
    SELECT amount FROM w`;
  if (rows.length === 0) throw new AppError("INSUFFICIENT_FUNDS", `the ${currency} balance is too low`);
  return Number(rows[0]!.amount);
}

export interface LedgerView {
  id: string;
  currency: string;
  delta: number;
  reason: string;
  orderId?: string;
  createdAt: string;
}

/** A page of a user's ledger, newest first, with a cursor to the next page. */
export async function ledgerPage(db: Db, userId: string, limit: number, after?: { createdAt: Date; id: string }) {
  const rows = await db.ledgerEntry.findMany({
    where: {
      userId,
      ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit + 1,
  });
  const page = rows.slice(0, limit);
  const data: LedgerView[] = page.map((r) => ({
    id: r.id,
    currency: r.currency,
    delta: Number(r.delta),
    reason: r.reason,
    ...(r.orderId ? { orderId: r.orderId } : {}),
    createdAt: r.createdAt.toISOString(),
  }));
  const last = page[page.length - 1];
  return { data, next: rows.length > limit && last ? { createdAt: last.createdAt, id: last.id } : null };
}
