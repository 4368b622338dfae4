export { type GateSnapshot } from "./rehydrate";
export { ReservationGate, type ReserveRequest, type ReserveResult, type ItemGateState, type PendingOrder, type ReleaseStatus } from "./gate";
export { keys, type Keys } from "./keys";
export type { RefundedOrder, RefundResult } from "./refund";
export type { OpenOrderCounts } from "./open-orders";
export { OrderStatusFeed, statusChannel, type StatusChange } from "./status-feed";
