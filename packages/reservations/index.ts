export { type GateSnapshot } from "./rebuild.ts";
export { ReservationGate, type GateOptions, type ReserveRequest, type ReserveResult, type ItemGateState, type PendingOrder } from "./gate.ts";
export { keys, type Keys } from "./keys.ts";
export { connectRedis, readyOrTimeout } from "./connection.ts";
export { type RedisClient } from "./scripts.ts";
export { itemSlot, mintOrderId } from "./slots.ts";
export type { RefundedOrder, RefundResult } from "./refund.ts";
export type { OpenOrderCounts } from "./open-orders.ts";
