// The use cases of the sale: one function per action, called by the API's routes (and, for
// settling, by the worker). Routes and consumers parse, call and shape; the steps live here.
export { assertSelfOrOperator, type Caller } from "./caller.ts";
export { placeOrder, type PlaceOrderDeps, type PlaceOrderInput, type Placed, type RefusalMemory } from "./orders/place-order.ts";
export { refund, type RefundDeps } from "./orders/refund.ts";
export { lookupOrder, pendingView, type LookupDeps } from "./orders/order-view.ts";
export { readOrder } from "./orders/read-order.ts";
export { listOrders, type OrderQuery } from "./orders/list-orders.ts";
export { settle, failSettle, type SettleDeps, type SettleStages } from "./orders/settle-order.ts";
export { createUser, signIn, type NewUser } from "./users/users.ts";
export { readBalances, readLedger, adjustWallet, type Adjustment } from "./wallets/wallets.ts";
export { itemView, listItems, readItem, createItem, restockItem, type ItemView, type NewItemInput } from "./items/items.ts";
export { metricsSnapshot, type MetricsSnapshot, type MetricsDeps } from "./ops/metrics-snapshot.ts";
export { readiness, type Readiness, type ReadinessChecks } from "./ops/readiness.ts";
export type { ReadDbs } from "./lagging-reads.ts";
