import type { OrderStatus } from "@flashsale/domain";
import { AppError } from "@flashsale/domain";
import { EventEmitter } from "node:events";
import { keys, type Keys } from "./keys.ts";
import { withScripts, type RedisClient, type ScriptedRedis } from "./scripts.ts";
import { loadSnapshot, rebuildItem, type SnapshotSource } from "./rebuild.ts";
import { openOrderCounts, type OpenOrderCounts } from "./open-orders.ts";
import { refundLines, type RefundedOrder, type RefundResult } from "./refund.ts";
import { type ReserveRequest, type ReserveResult } from "./reserve.ts";
import { redisAway, reserveLines, type ReserveContext } from "./reserve-order.ts";
import { endLines, voidHome, type VoidableOrder } from "./void-order.ts";
import { beginSettle, finishHome, givesBack } from "./settle.ts";
import { loadItem, remaining, restock, type ItemGateState } from "./items.ts";
import { pendingOrder, type PendingOrder } from "./pending-order.ts";
import { claimKey, keyHolder, releaseKey } from "./idempotency.ts";
import { itemTag, lineGroups, mintOrderId } from "./slots.ts";

export type { ReserveRequest, ReserveResult } from "./reserve.ts";
export type { ItemGateState } from "./items.ts";
export type { PendingOrder } from "./pending-order.ts";

export interface GateOptions {
  /**
   * Where the gate rebuilds an item from when its shard lost its state (PostgreSQL's items,
   * remaining units and holdings). Without one, a reserve that finds an item missing answers
   * 503 UNAVAILABLE (processes that never reserve need none).
   */
  snapshot?: SnapshotSource;
  /** How long an order's record, and a refund's marker, are kept (default 7 days). */
  orderTtlSeconds?: number;
  /** How long an Idempotency-Key of POST /orders is remembered (default 24 h). */
  idempotencyTtlSeconds?: number;
  /** How long a reserve waits for another process's rebuild of an item (default 30 s). */
  rebuildTimeoutMs?: number;
}

const UNITS_BACK = "units-back";

/**
 * The reservation gate in Redis: fast, atomic and disposable, on one server or a Redis Cluster.
 * PostgreSQL stays the truth; when a shard loses its state the gate rebuilds the items it held
 * from its snapshot source, item by item. Each verb lives in a module of its own beside its Lua
 * script; this class binds them to one connection, key prefix and set of options, and splits
 * an order's lines by slot (lineGroups) where a cluster needs it.
 */
export class ReservationGate {
  readonly redis: ScriptedRedis;
  readonly keys: Keys;
  private readonly local = new EventEmitter();
  private readonly orderTtlSeconds: number;
  private readonly idempotencyTtlSeconds: number;
  private readonly clustered: boolean;
  private readonly rebuilds = new Map<string, Promise<void>>();
  /** What reserveLines needs of this gate, made once (not per order). */
  private readonly reserving: ReserveContext;

  constructor(redis: RedisClient, prefix: string, private readonly opts: GateOptions = {}) {
    this.redis = withScripts(redis);
    this.keys = keys(prefix);
    this.clustered = redis.isCluster;
    this.orderTtlSeconds = opts.orderTtlSeconds ?? 7 * 86400;
    this.idempotencyTtlSeconds = opts.idempotencyTtlSeconds ?? 86400;
    this.reserving = {
      redis: this.redis,
      keys: this.keys,
      clustered: this.clustered,
      orderTtlSeconds: this.orderTtlSeconds,
      rebuild: (ids) => this.rebuild(ids),
      unitsBack: (lines) => this.unitsBack(lines),
    };
  }

  /**
   * Reserves every line of the order or nothing, under a new order id minted in its home item's
   * slot. Throws only coded AppErrors: a refusal, or UNAVAILABLE (nothing reserved) when Redis or
   * the rebuild's snapshot source does not answer. An Idempotency-Key is claimed first; a repeat
   * answers "duplicate" with the first order's id. Items whose shard lost its state are rebuilt
   * first (once, whichever process gets there first) and the order tried again.
   */
  async reserve(req: ReserveRequest): Promise<ReserveResult> {
    const orderId = mintOrderId(req.lines);
    const key = req.idempotencyKey;
    if (key) {
      const first = await claimKey(this.redis, this.keys, req.userId, key, orderId, req.requestHash ?? "", this.idempotencyTtlSeconds).catch(redisAway);
      if (first) return { kind: "duplicate", orderId: first };
    }
    try {
      return await reserveLines(this.reserving, orderId, req);
    } catch (err) {
      if (key) await releaseKey(this.redis, this.keys, req.userId, key).catch(() => undefined);
      throw err;
    }
  }

  /**
   * Loads items the gate does not have from its snapshot source: the given items (each under
   * its own lock, one process reading PostgreSQL while the others wait), or every item when
   * none is named (at start). Returns when each has an epoch again.
   */
  async rebuild(itemIds?: string[]): Promise<void> {
    const snapshot = this.opts.snapshot;
    if (!snapshot) throw new AppError("UNAVAILABLE", "the reservation gate lacks an item and this process cannot rebuild it");
    if (!itemIds) return loadSnapshot(this.redis, this.keys, await snapshot());
    await Promise.all(
      itemIds.map((id) => {
        let p = this.rebuilds.get(id);
        if (!p) {
          p = rebuildItem(this.redis, this.keys, id, snapshot, this.opts.rebuildTimeoutMs ?? 30_000).finally(() => this.rebuilds.delete(id));
          this.rebuilds.set(id, p);
        }
        return p;
      }),
    );
  }

  /**
   * Gives back the units of an order that was not accepted (its publish failed), unless a
   * worker already took it ("taken": it stands); its Idempotency-Key may then be used again.
   */
  async voidOrder(order: VoidableOrder): Promise<"released" | "noop" | "taken"> {
    const [home, ...others] = lineGroups(order.lines, this.clustered);
    const r = await voidHome(this.redis, this.keys, order.id, home!);
    if (r === "taken") return r;
    // Every other slot is tried even when one fails; the order stays voided (a worker drops it).
    const rest = await Promise.allSettled(others.map((g) => endLines(this.redis, this.keys, order.id, g, true)));
    // No record ("noop"): Redis lost it, and the message may yet be settled; the key keeps
    // pointing at the order, so a repeat cannot place a second one.
    if (r === "released" && order.idempotencyKey) await releaseKey(this.redis, this.keys, order.userId, order.idempotencyKey);
    if (r === "released" || rest.some((x) => x.status === "fulfilled" && x.value > 0)) await this.unitsBack(order.lines);
    const failed = rest.find((x) => x.status === "rejected");
    if (failed) throw (failed as PromiseRejectedResult).reason;
    return r;
  }

  /** The order a buyer's Idempotency-Key of POST /orders is claimed for (null when free): a repeat waits while that order is being reserved. */
  keyHolder(userId: string, key: string): Promise<string | null> {
    return keyHolder(this.redis, this.keys, userId, key);
  }

  /** Marks that the broker confirmed the order's message (a repeat request may now be answered). */
  async markQueued(orderId: string): Promise<void> {
    await this.redis.hset(this.keys.order(orderId), "queued", "1");
  }

  /** A worker takes the order: PENDING becomes PROCESSING; a voided order must be dropped (settle.ts). */
  beginSettle(orderId: string, now: Date): Promise<"OK" | "VOID" | "MISSING" | string> {
    return beginSettle(this.redis, this.keys, orderId, now);
  }

  /**
   * The worker's Redis step after the database answered (one round trip per slot the order's
   * lines live on): the final status recorded and announced, each line's reservation ended, its
   * units given back when the order did not complete. True when units came back.
   */
  async finishSettle(orderId: string, status: OrderStatus, lines: readonly { itemId: string }[]): Promise<boolean> {
    const [home, ...others] = lineGroups(lines, this.clustered);
    const back = await Promise.all([
      finishHome(this.redis, this.keys, orderId, status, home!, this.orderTtlSeconds),
      ...others.map((g) => endLines(this.redis, this.keys, orderId, g, givesBack(status))),
    ]);
    const returned = back.some((n) => n > 0);
    if (returned) await this.unitsBack(lines);
    return returned;
  }

  /**
   * Calls `listener` whenever this process gave units back to the gate (restock, refund, a
   * voided or released order): its own memory of sold-out items is then stale at once. Other
   * processes hear the same on the units-back channel (the API's OrderStatusFeed.onUnitsBack).
   */
  onUnitsBack(listener: () => void): void {
    this.local.on(UNITS_BACK, listener);
  }

  /** Tells this process at once and every process through the broadcast channel that units of these items came back. */
  private async unitsBack(lines: readonly { itemId: string }[]): Promise<void> {
    this.local.emit(UNITS_BACK);
    await this.redis.publish(this.keys.unitsBackChannel, JSON.stringify({ itemIds: lines.map((l) => l.itemId) })).catch(() => undefined);
  }

  /** Each item's epoch (null while it awaits a rebuild); read them before a refund commits. */
  async epochs(itemIds: string[]): Promise<Map<string, string | null>> {
    const vals = await Promise.all(itemIds.map((id) => this.redis.get(this.keys.itemEpoch(id))));
    return new Map(itemIds.map((id, i) => [id, vals[i] ?? null]));
  }

  /**
   * Gives a refunded order's units and allowance back once per line, except for items rebuilt
   * since `epochs` were read (refund.ts): "returned" when any came back now, "noop" when all had
   * been, "rebuilt" when the rebuilt counters already count the refund.
   */
  async refund(order: RefundedOrder, epochs: ReadonlyMap<string, string | null>): Promise<RefundResult> {
    const parts = await Promise.all(lineGroups(order.lines, this.clustered).map((g) => refundLines(this.redis, this.keys, order, g, epochs, this.orderTtlSeconds)));
    const given = parts.reduce((n, p) => n + p.given, 0);
    if (given > 0) await this.unitsBack(order.lines);
    return given > 0 ? "returned" : parts.every((p) => p.rebuilt === 0) ? "noop" : "rebuilt";
  }

  /** How many orders are PENDING and PROCESSING right now (they live only in Redis), over the orders homed on these items' slots. */
  openOrders(now: Date, itemIds: string[]): Promise<OpenOrderCounts> {
    return openOrderCounts(this.redis, this.keys, itemIds.map(itemTag), now, this.orderTtlSeconds * 1000);
  }

  /** The order as the gate knows it before the database has it, or null. */
  pendingOrder(orderId: string): Promise<PendingOrder | null> {
    return pendingOrder(this.redis, this.keys, orderId);
  }

  /** Makes a new item reservable (nothing happens when the gate has it already: a rebuild loaded it). */
  async putItem(item: ItemGateState): Promise<void> {
    await loadItem(this.redis, this.keys, "put", item);
  }

  /** Adds units to stock and remaining atomically; the new remaining, or null when the gate does not have the item. */
  async restock(itemId: string, quantity: number): Promise<number | null> {
    const left = await restock(this.redis, this.keys, itemId, quantity);
    if (left !== null) await this.unitsBack([{ itemId }]);
    return left;
  }

  /** Units not yet reserved, per item id; null for an item the gate does not know. */
  remaining(itemIds: string[]): Promise<Map<string, number | null>> {
    return remaining(this.redis, this.keys, itemIds);
  }
}
