import type { OrderStatus } from "@flashsale/domain";
import { AppError } from "@flashsale/domain";
import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { keys, type Keys } from "./keys.ts";
import { withScripts, type ScriptedRedis } from "./scripts.ts";
import { rebuildGate, type GateSnapshot } from "./rebuild.ts";
import { openOrderCounts, type OpenOrderCounts } from "./open-orders.ts";
import { refundToGate, type RefundedOrder, type RefundResult } from "./refund.ts";
import { reserveOrder, type ReserveRequest, type ReserveResult } from "./reserve.ts";
import { voidOrder, type VoidableOrder } from "./void-order.ts";
import { beginSettle, finishSettle } from "./settle.ts";
import { putItem, remaining, restock, type ItemGateState } from "./items.ts";
import { markQueued, pendingOrder, type PendingOrder } from "./pending-order.ts";

export type { ReserveRequest, ReserveResult } from "./reserve.ts";
export type { ItemGateState } from "./items.ts";
export type { PendingOrder } from "./pending-order.ts";

export interface GateOptions {
  /**
   * Where the gate rebuilds itself from when Redis lost its state (PostgreSQL's items,
   * remaining units and holdings). Without one, a reserve that finds the gate empty answers
   * 503 UNAVAILABLE (processes that never reserve need none).
   */
  snapshot?: () => Promise<GateSnapshot>;
  /** How long an order's record, and a refund's marker, are kept (default 7 days). */
  orderTtlSeconds?: number;
  /** How long an Idempotency-Key of POST /orders is remembered (default 24 h). */
  idempotencyTtlSeconds?: number;
  /** How long a reserve waits for another process's rebuild (default 30 s). */
  rebuildTimeoutMs?: number;
}

const UNITS_BACK = "units-back";

/** Passes a coded AppError on; anything else (a dead socket, a database error) becomes UNAVAILABLE. */
const unavailable = (message: string) => (err: unknown): never => {
  if (err instanceof AppError) throw err;
  throw new AppError("UNAVAILABLE", message);
};
const redisAway = unavailable("reservations are unavailable; nothing was reserved");
const rebuilding = unavailable("reservations are being rebuilt; nothing was reserved");
const REBUILD_TRIES = 3;

/**
 * The reservation gate in Redis: fast, atomic and disposable. PostgreSQL stays the truth;
 * when Redis loses its state the gate rebuilds itself from its snapshot source. Each verb
 * lives in a module of its own beside its Lua script (reserve.ts, void-order.ts, settle.ts,
 * items.ts, refund.ts, pending-order.ts, open-orders.ts, rebuild.ts); this class binds
 * them to one connection, key prefix and set of options.
 */
export class ReservationGate {
  readonly redis: ScriptedRedis;
  readonly keys: Keys;
  private readonly local = new EventEmitter();
  private readonly orderTtlSeconds: number;
  private readonly idempotencyTtlSeconds: number;

  constructor(redis: Redis, prefix: string, private readonly opts: GateOptions = {}) {
    this.redis = withScripts(redis);
    this.keys = keys(prefix);
    this.orderTtlSeconds = opts.orderTtlSeconds ?? 7 * 86400;
    this.idempotencyTtlSeconds = opts.idempotencyTtlSeconds ?? 86400;
  }

  /**
   * Reserves every line of the order atomically or nothing. Throws only coded AppErrors: a
   * refusal, or UNAVAILABLE (nothing reserved) when Redis or the rebuild's snapshot source does
   * not answer. When Redis lost its state, rebuilds the gate first (once, whichever process
   * gets there first) and tries again.
   */
  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    for (let i = 0; i < REBUILD_TRIES; i++) {
      const r = await reserveOrder(this.redis, this.keys, req, this.idempotencyTtlSeconds, this.orderTtlSeconds).catch(redisAway);
      if (r !== "rehydrate") return r;
      await this.rebuild().catch(rebuilding);
    }
    throw new AppError("UNAVAILABLE", "reservations are being rebuilt; nothing was reserved");
  }

  /**
   * Rebuilds the gate from its snapshot source after Redis lost its state, under a lock so
   * that one process does it while the others wait. Returns when an epoch exists again.
   */
  rebuild(): Promise<void> {
    const snapshot = this.opts.snapshot;
    if (!snapshot) return Promise.reject(new AppError("UNAVAILABLE", "the reservation gate is empty and this process cannot rebuild it"));
    return rebuildGate(this.redis, this.keys, snapshot, this.opts.rebuildTimeoutMs ?? 30_000);
  }

  /** See void-order.ts. */
  async voidOrder(order: VoidableOrder): Promise<"released" | "noop" | "taken"> {
    const r = await voidOrder(this.redis, this.keys, order);
    if (r === "released") this.local.emit(UNITS_BACK);
    return r;
  }

  /** Marks that the broker confirmed the order's message (a repeat request may now be answered). */
  markQueued(orderId: string): Promise<void> {
    return markQueued(this.redis, this.keys, orderId);
  }

  /** A worker takes the order: PENDING becomes PROCESSING; a voided order must be dropped (settle.ts). */
  beginSettle(orderId: string, now: Date): Promise<"OK" | "VOID" | "MISSING" | string> {
    return beginSettle(this.redis, this.keys, orderId, now);
  }

  /** The worker's round trip after the database answered (settle.ts). True when units came back. */
  async finishSettle(orderId: string, status: OrderStatus, lines: readonly { itemId: string }[]): Promise<boolean> {
    const back = await finishSettle(this.redis, this.keys, orderId, status, lines, this.orderTtlSeconds);
    if (back) this.local.emit(UNITS_BACK);
    return back;
  }

  /**
   * Calls `listener` whenever this process gave units back to the gate (restock, refund, a
   * voided order): its own memory of sold-out items is then stale at once. Other processes
   * hear the same on the status channel (the API's OrderStatusFeed.onUnitsBack).
   */
  onUnitsBack(listener: () => void): void {
    this.local.on(UNITS_BACK, listener);
  }

  /** The gate's epoch, or null while it awaits a rebuild; read it before a refund commits. */
  epoch(): Promise<string | null> {
    return this.redis.get(this.keys.epoch);
  }

  /** Gives a refunded order's units and allowance back once, unless the gate was rebuilt since `epoch` (refund.ts). */
  async refund(order: RefundedOrder, epoch: string): Promise<RefundResult> {
    const r = await refundToGate(this.redis, this.keys, order, epoch, this.orderTtlSeconds);
    if (r === "returned") this.local.emit(UNITS_BACK);
    return r;
  }

  /** How many orders are PENDING and PROCESSING right now (they live only in Redis). */
  openOrders(now: Date): Promise<OpenOrderCounts> {
    return openOrderCounts(this.redis, this.keys, now, this.orderTtlSeconds * 1000);
  }

  /** The order as the gate knows it before the database has it, or null. */
  pendingOrder(orderId: string): Promise<PendingOrder | null> {
    return pendingOrder(this.redis, this.keys, orderId);
  }

  /** Makes a new item reservable; a no-op while the gate awaits a rebuild (which loads it). */
  putItem(item: ItemGateState): Promise<void> {
    return putItem(this.redis, this.keys, item);
  }

  /** Adds units to stock and remaining atomically; the new remaining, or null when the gate does not know the item. */
  async restock(itemId: string, quantity: number): Promise<number | null> {
    const left = await restock(this.redis, this.keys, itemId, quantity);
    if (left !== null) this.local.emit(UNITS_BACK);
    return left;
  }

  /** Units not yet reserved, per item id; null for an item the gate does not know. */
  remaining(itemIds: string[]): Promise<Map<string, number | null>> {
    return remaining(this.redis, this.keys, itemIds);
  }
}
