export { ReservationGate, type ReserveRequest, type ReserveResult, type ItemGateState, type PendingOrder, type ReleaseStatus } from "./gate";
export { keys, type Keys } from "./keys";
export { OrderStatusFeed, announceStatus, statusChannel, type StatusChange } from "./status-feed";
