import type { OrderLineView, OrderStatus } from "@flashsale/domain";
import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";
import { keys, type Keys } from "./keys.ts";
import { withScripts, type ScriptedRedis } from "./scripts.ts";
import { itemFields, rebuildGate, type GateSnapshot } from "./rehydrate.ts";
import { statusChannel } from "./status-feed.ts";
import { openOrderCounts, type OpenOrderCounts } from "./open-orders.ts";
import { refundToGate, type RefundedOrder, type RefundResult } from "./refund.ts";
import { NO_KEY, reserveOrder, type ReserveRequest, type ReserveResult } from "./reserve.ts";

export type { ReserveRequest, ReserveResult } from "./reserve.ts";

export interface ItemGateState {
  id: string;
  price: number;
  currency: string;
  startsAt: Date;
  endsAt: Date | null;
  maxPerUser: number;
  stock: number;
  remaining: number;
}

export interface PendingOrder {
  id: string;
  userId: string;
  status: OrderStatus | "VOID";
  currency: string;
  lines: OrderLineView[];
  createdAt: Date;
  startedAt?: Date;
  queued: boolean;
}



const UNITS_BACK = "units-back";

/**
 * The reservation gate in Redis: fast, atomic and disposable. PostgreSQL stays the truth;
 * when Redis loses its state the gate is rebuilt from it (see rehydrate).
 */
export class ReservationGate {
  readonly redis: ScriptedRedis;
  readonly keys: Keys;
  private readonly local = new EventEmitter();

  constructor(redis: Redis, private readonly prefix: string, private readonly orderTtlSeconds = 7 * 86400, private readonly idempotencyTtlSeconds = 86400) {
    this.redis = withScripts(redis);
    this.keys = keys(prefix);
  }

  /** Reserves every line of the order atomically or nothing; throws a coded AppError on refusal. */
  async reserve(req: ReserveRequest): Promise<ReserveResult | "rehydrate"> {
    return reserveOrder(this.redis, this.keys, req, this.idempotencyTtlSeconds, this.orderTtlSeconds);
  }

  /**
   * Gives back the units of an order whose publish failed (the API answers 503), in one
   * script: refused with "taken" once a worker holds the order (it then stands), "noop" when
   * Redis has no record of it. The order's lines and key are the ones it was reserved with.
   */
  async voidOrder(order: { id: string; userId: string; lines: readonly { itemId: string }[]; idempotencyKey?: string }): Promise<"released" | "noop" | "taken"> {
    const k = this.keys;
    const redisKeys = [
      k.epoch,
      k.order(order.id),
      k.idempotency(order.userId, order.idempotencyKey || NO_KEY),
      k.ordersPending,
      k.ordersProcessing,
      ...order.lines.flatMap((l) => [k.itemRemaining(l.itemId), k.itemHeld(l.itemId)]),
    ];
    const r = await this.redis.voidOrder(redisKeys.length, ...redisKeys, order.id);
    if (r === 1) this.local.emit(UNITS_BACK);
    return r === 1 ? "released" : r === -1 ? "taken" : "noop";
  }

  /** Marks that the broker confirmed the order's message (a repeat request may now be answered). */
  async markQueued(orderId: string): Promise<void> {
    await this.redis.hset(this.keys.order(orderId), "queued", "1");
  }

  /** A worker takes the order: PENDING becomes PROCESSING; a voided order must be dropped. */
  async beginSettle(orderId: string, now: Date): Promise<"OK" | "VOID" | "MISSING" | string> {
    const k = this.keys;
    const announcement = JSON.stringify({ orderId, status: "PROCESSING" });
    return this.redis.beginSettle(k.order(orderId), k.ordersPending, k.ordersProcessing, now.getTime(), orderId, statusChannel(this.prefix), announcement);
  }

  /**
   * A worker's one round trip after the database answered: the final status in the order's
   * record, its units given back when it did not complete (REJECTED, FAILED; once per
   * order), both open-order sets and the announcement. `lines` are the order's lines as the
   * message carries them (the record's line order). True when units came back.
   */
  async finishSettle(orderId: string, status: OrderStatus, lines: readonly { itemId: string }[]): Promise<boolean> {
    const k = this.keys;
    const giveBack = status === "REJECTED" || status === "FAILED";
    const redisKeys = [k.epoch, k.order(orderId), k.ordersPending, k.ordersProcessing, ...lines.flatMap((l) => [k.itemRemaining(l.itemId), k.itemHeld(l.itemId)])];
    const announcement = JSON.stringify({ orderId, status });
    const r = await this.redis.finishSettle(redisKeys.length, ...redisKeys, status, giveBack ? "1" : "0", this.orderTtlSeconds, orderId, statusChannel(this.prefix), announcement);
    if (r === 1) this.local.emit(UNITS_BACK);
    return r === 1;
  }

  /**
   * Calls `listener` whenever this process gave units back to the gate (restock, refund, a
   * voided order): its own memory of sold-out items is then stale at once. Other processes
   * hear the same on the status channel (OrderStatusFeed.onUnitsBack).
   */
  onUnitsBack(listener: () => void): void {
    this.local.on(UNITS_BACK, listener);
  }

  /** The gate's epoch, or null while it awaits a rebuild; read it before a refund commits. */
  async epoch(): Promise<string | null> {
    return this.redis.get(this.keys.epoch);
  }

  /** Gives a refunded order's units and allowance back once, unless the gate was rebuilt since `epoch`. */
  async refund(order: RefundedOrder, epoch: string): Promise<RefundResult> {
    const r = await refundToGate(this.redis, this.keys, order, epoch, this.orderTtlSeconds, statusChannel(this.prefix));
    if (r === "returned") this.local.emit(UNITS_BACK);
    return r;
  }

  /** How many orders are PENDING and PROCESSING right now (they live only in Redis). */
  async openOrders(now: Date): Promise<OpenOrderCounts> {
    return openOrderCounts(this.redis, this.keys, now, this.orderTtlSeconds * 1000);
  }

  /** The order as the gate knows it before the database has it, or null. */
  async pendingOrder(orderId: string): Promise<PendingOrder | null> {
    const h = await this.redis.hgetall(this.keys.order(orderId));
    if (!h.userId) return null;
    return {
      id: orderId,
      userId: h.userId,
      status: h.status as PendingOrder["status"],
      currency: h.currency ?? "",
      lines: parseLines(h.lines ?? ""),
      createdAt: new Date(Number(h.createdAt)),
      startedAt: h.startedAt ? new Date(Number(h.startedAt)) : undefined,
      queued: h.queued === "1",
    };
  }

  /** Makes a new item reservable; a no-op while the gate awaits a rehydrate (which loads it). */
  async putItem(item: ItemGateState): Promise<void> {
    const k = this.keys;
    await this.redis.putItem(k.epoch, k.itemMeta(item.id), k.itemRemaining(item.id), ...itemArgs(item));
  }

  /** Adds units to stock and remaining atomically; the new remaining, or null when the gate does not know the item. */
  async restock(itemId: string, quantity: number): Promise<number | null> {
    const k = this.keys;
    const announce = JSON.stringify({ orderId: "", status: "RESTOCKED", itemIds: [itemId] });
    const left = await this.redis.restock(k.epoch, k.itemMeta(itemId), k.itemRemaining(itemId), quantity, statusChannel(this.prefix), announce);
    if (left >= 0) this.local.emit(UNITS_BACK);
    return left >= 0 ? left : null;
  }

  /** Units not yet reserved, per item id; null for an item the gate does not know. */
  async remaining(itemIds: string[]): Promise<Map<string, number | null>> {
    const out = new Map<string, number | null>();
    if (itemIds.length === 0) return out;
    const vals = await this.redis.mget(itemIds.map((id) => this.keys.itemRemaining(id)));
    itemIds.forEach((id, i) => out.set(id, vals[i] == null ? null : Number(vals[i])));
    return out;
  }

  /**
   * Rebuilds the gate from PostgreSQL after Redis lost its state, under a lock so that one
   * process does it while the others wait. Returns when an epoch exists again.
   */
  rehydrate(snapshot: () => Promise<GateSnapshot>, timeoutMs = 30_000): Promise<void> {
    return rebuildGate(this.redis, this.keys, snapshot, timeoutMs);
  }
}

function itemArgs(item: ItemGateState): (string | number)[] {
  const f = itemFields(item);
  return [f.price, f.currency, f.startsAt, f.endsAt, f.maxPerUser, f.stock, item.remaining];
}

function parseLines(encoded: string): OrderLineView[] {
  if (!encoded) return [];
  return encoded.split(";").map((s) => {
    const [itemId, quantity, price] = s.split(":");
    return { itemId: itemId!, quantity: Number(quantity), price: Number(price) };
  });
}
