export { type GateSnapshot, type SnapshotSource } from "./rebuild.ts";
export { ReservationGate, type GateOptions, type ReserveRequest, type ReserveResult, type ItemGateState, type PendingOrder } from "./gate.ts";
export { keys, type Keys } from "./keys.ts";
export { connectRedis, readyOrTimeout, type RedisTarget, type ConnectionBehaviour } from "./connection.ts";
export { type RedisClient } from "./scripts.ts";
export { itemSlot, itemTag, mintOrderId, slotTag } from "./slots.ts";
export type { RefundedOrder, RefundResult } from "./refund.ts";
export type { OpenOrderCounts } from "./open-orders.ts";
