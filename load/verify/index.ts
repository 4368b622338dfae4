import type { Db } from "@flashsale/db";
import { checkStock } from "./stock";
import { checkHoldings } from "./holdings";
import { checkWallets } from "./wallets";
import { checkPurchases } from "./purchases";
import { checkAccepted, checkTerminal } from "./orders";
import type { Violation } from "./violation";

export { checkStock, itemSales, type ItemSales } from "./stock";
export { checkHoldings } from "./holdings";
export { checkWallets } from "./wallets";
export { checkPurchases } from "./purchases";
export { checkAccepted, checkTerminal, lostOrders } from "./orders";
export { readOutcomes, recordOutcome, type Outcomes } from "./outcomes";
export { saleSummary, type SaleSummary } from "./summary";
export { gateStatuses } from "./pending-in-redis";
export type { Violation } from "./violation";

export interface VerifyOptions {
  /** Ids answered 202: each must have exactly one row. */
  acceptedIds?: string[];
  /** Off while orders may still be in flight (a check during a fault): then PENDING/PROCESSING are fine. */
  requireTerminal?: boolean;
}

/** Every invariant of the CONTRACT checked against PostgreSQL; an empty list means all hold. */
export async function verifyInvariants(db: Db, opts: VerifyOptions = {}): Promise<Violation[]> {
  const all = await Promise.all([
    checkStock(db),
    checkHoldings(db),
    checkWallets(db),
    checkPurchases(db),
    opts.requireTerminal === false ? Promise.resolve([]) : checkTerminal(db),
    opts.acceptedIds ? checkAccepted(db, opts.acceptedIds) : Promise.resolve([]),
  ]);
  return all.flat();
}
