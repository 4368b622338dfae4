import type { Db } from "@flashsale/db";
import { listed, rows, type Violation } from "./violation";

/** Invariant 3: no wallet below zero, and every balance equals the sum of its ledger deltas. */
export async function checkWallets(db: Db): Promise<Violation[]> {
  const negative = await rows<{ user_id: string; currency: string; amount: string }>(
    db,
    `SELECT user_id::text, currency, amount::text FROM wallets WHERE amount < 0`,
  );
  const drifted = await rows<{ user_id: string; currency: string; amount: string | null; total: string | null }>(
    db,
    `SELECT COALESCE(w.user_id, l.user_id)::text AS user_id, COALESCE(w.currency, l.currency) AS currency,
            w.amount::text AS amount, l.total::text AS total
     FROM wallets w
     FULL JOIN (SELECT user_id, currency, SUM(delta) AS total FROM ledger_entries GROUP BY user_id, currency) l
       ON l.user_id = w.user_id AND l.currency = w.currency
     WHERE COALESCE(w.amount, 0) <> COALESCE(l.total, 0)`,
  );
  return [
    ...listed(negative, (r) => ({ invariant: 3, check: "wallet below zero", detail: `buyer ${r.user_id}: ${r.amount} ${r.currency}` })),
    ...listed(drifted, (r) => ({
      invariant: 3,
      check: "balance differs from ledger",
      detail: `buyer ${r.user_id}: wallet ${r.amount ?? "none"} ${r.currency}, ledger sum ${r.total ?? "none"}`,
    })),
  ];
}
