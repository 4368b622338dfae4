export { createDb, type Db, type Tx } from "./client";
export { translateDbError } from "./prisma-errors";
export { createUser, findUserForLogin, userExists, type UserView } from "./users";
export { balances, creditWallet, debitWallet, ledgerPage, type BalanceView, type LedgerView } from "./wallets";
export { runIdempotent, type IdempotencyScope, type Replayable } from "./idempotency";
export { createItem, findItem, itemPage, restockItem, gateSnapshot, type ItemRecord, type NewItem } from "./items";
export { findOrder, findOrderStatus } from "./orders";
export { settleOrder, failOrder, type SettleOutcome } from "./settle-order";
