import { expect } from "chai";
import type { Stack } from "./stack";
import { call } from "./http";

/** An item created through the API as an operator would; returns its view. */
export async function makeItem(s: Stack, body: Record<string, unknown> = {}) {
  const r = await call(s.url, "POST", "/items", { token: s.operator, body: { name: "Limited sneaker", price: 2500, currency: "USD", stock: 10, ...body } });
  expect(r.status, r.text).to.equal(201);
  return r.body as { id: string; remaining: number; stock: number; price: number };
}

/** POST /orders for one line. */
export function order(s: Stack, token: string, itemId: string, quantity = 1, headers: Record<string, string> = {}) {
  return call(s.url, "POST", "/orders", { token, body: { items: [{ itemId, quantity }] }, headers });
}

/** The database's view of a buyer's money: wallet amounts and ledger rows. */
export async function moneyOf(s: Stack, userId: string) {
  const db = s.api.deps.db;
  const wallets = await db.wallet.findMany({ where: { userId } });
  const ledger = await db.ledgerEntry.findMany({ where: { userId } });
  const wallet = (c: string) => Number(wallets.find((w) => w.currency === c)?.amount ?? 0);
  const ledgerSum = (c: string) => ledger.filter((l) => l.currency === c).reduce((a, l) => a + Number(l.delta), 0);
  return { wallet, ledgerSum, ledger };
}
