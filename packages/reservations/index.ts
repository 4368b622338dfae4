export { type GateSnapshot } from "./rehydrate.ts";
export { ReservationGate, type ReserveRequest, type ReserveResult, type ItemGateState, type PendingOrder } from "./gate.ts";
export { keys, type Keys } from "./keys.ts";
export type { RefundedOrder, RefundResult } from "./refund.ts";
export type { OpenOrderCounts } from "./open-orders.ts";
export { OrderStatusFeed, statusChannel, type StatusChange } from "./status-feed.ts";
