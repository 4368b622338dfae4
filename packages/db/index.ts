// The package's boundary: every function that reads or writes is exported through guarded(),
// so each database error leaves packages/db as an AppError (translateDbError) or untouched
// when it is none the caller could act on. runIdempotent and createUser translate inside.
import { guarded } from "./prisma-errors.ts";
import * as users from "./users.ts";
import * as wallets from "./wallets.ts";
import * as items from "./items.ts";
import * as orders from "./orders.ts";
import * as history from "./order-history.ts";
import * as explain from "./explain-order-history.ts";
import * as refunds from "./refund-order.ts";
import * as metrics from "./order-metrics.ts";
import * as client from "./client.ts";
import * as settle from "./settle-order.ts";

export { createDb, createPool, createReplicaDb, type Db, type Tx } from "./client.ts";
export const pingDb = guarded(client.pingDb);
export { translateDbError } from "./prisma-errors.ts";
export { createUser, type UserView } from "./users.ts";
export const findUserForLogin = guarded(users.findUserForLogin);
export const userExists = guarded(users.userExists);
export type { BalanceView, LedgerView } from "./wallets.ts";
export const balances = guarded(wallets.balances);
export const creditWallet = guarded(wallets.creditWallet);
export const debitWallet = guarded(wallets.debitWallet);
export const ledgerPage = guarded(wallets.ledgerPage);
export { runIdempotent, type IdempotencyScope, type Replayable } from "./idempotency.ts";
export type { ItemRecord, NewItem } from "./items.ts";
export const createItem = guarded(items.createItem);
export const findItem = guarded(items.findItem);
export const itemRemaining = guarded(items.itemRemaining);
export const itemPage = guarded(items.itemPage);
export const restockItem = guarded(items.restockItem);
export const gateSnapshot = guarded(items.gateSnapshot);
export const recentItemIds = guarded(items.recentItemIds);
export { orderView } from "./orders.ts";
export const findOrder = guarded(orders.findOrder);
export const findOrderStatus = guarded(orders.findOrderStatus);
export { orderHistorySql, type OrderFilter, type OrderPosition, type OrderHistoryPage } from "./order-history.ts";
export const orderHistory = guarded(history.orderHistory);
export type { ExplainOptions } from "./explain-order-history.ts";
export const explainOrderHistory = guarded(explain.explainOrderHistory);
export const refundOrder = guarded(refunds.refundOrder);
export { SETTLED_STATUSES, type SettledStatus, type SettledOrderCounts } from "./order-metrics.ts";
export const settledOrderCounts = guarded(metrics.settledOrderCounts);
export { pgSettleSql, prismaSettleSql, type SettleOutcome, type SettleSql } from "./settle-order.ts";
export const settleOrder = guarded(settle.settleOrder);
export const failOrder = guarded(settle.failOrder);
