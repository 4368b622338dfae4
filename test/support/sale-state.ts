import { call } from "./http";
import type { Stack } from "./stack";
import { findItem } from "@flashsale/db";

/**
 * Everything a refused request must leave alone, read from every place it could leak to:
 * each item's remaining as the API shows it (Redis) and in PostgreSQL, the buyers' holds in
 * Redis, and each user's wallets, ledger rows and order rows in PostgreSQL.
 */
export async function saleState(s: Stack, userIds: string[], itemIds: string[]) {
  const { db, gate, redis } = s.api.deps;
  const item = async (id: string) => {
    const [view, row, gateRemaining, held] = await Promise.all([
      call(s.url, "GET", `/items/${id}`),
      findItem(db, id),
      redis.get(gate.keys.itemRemaining(id)),
      redis.hgetall(gate.keys.itemHeld(id)),
    ]);
    return { id, remaining: view.body?.remaining, stock: view.body?.stock, gateRemaining, held, dbRemaining: row?.remaining, dbStock: row?.stock };
  };
  const user = async (id: string) => {
    const [wallets, ledgerRows, orderRows] = await Promise.all([
      db.wallet.findMany({ where: { userId: id }, orderBy: { currency: "asc" } }),
      db.ledgerEntry.count({ where: { userId: id } }),
      db.order.count({ where: { userId: id } }),
    ]);
    return { id, wallets: wallets.map((w) => `${w.currency}:${w.amount}`), ledgerRows, orderRows };
  };
  const [items, users, itemCount, userCount] = await Promise.all([
    Promise.all(itemIds.map(item)),
    Promise.all(userIds.map(user)),
    db.item.count(),
    db.user.count(),
  ]);
  return { items, users, itemCount, userCount };
}
