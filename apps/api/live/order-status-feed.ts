import { EventEmitter } from "node:events";
import type { Redis } from "ioredis";

export interface StatusChange {
  orderId: string;
  status: string;
}

const STOP = Symbol("stop");
const UNITS_BACK = Symbol("units-back");
/** Announcements after which units are back in the gate: a released order (its final status is announced after the release), a refund, a restock. */
const GIVES_UNITS_BACK = new Set(["REJECTED", "FAILED", "REFUNDED", "RESTOCKED"]);

/**
 * One subscriber connection per API process on the channel the gate's scripts announce on
 * (keys().statusChannel), fanning status changes out to listeners by order id, so any API
 * process can stream any order's changes.
 */
export class OrderStatusFeed {
  private readonly events = new EventEmitter();
  private readonly sub: Redis;

  constructor(redis: Redis, private readonly channel: string) {
    this.events.setMaxListeners(0);
    this.sub = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null });
    this.sub.on("error", () => undefined);
    this.sub.on("message", (_channel: string, raw: string) => {
      try {
        const change = JSON.parse(raw) as StatusChange;
        if (change.orderId) this.events.emit(change.orderId, change);
        if (GIVES_UNITS_BACK.has(change.status)) this.events.emit(UNITS_BACK);
      } catch {
        /* not ours */
      }
    });
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.channel);
  }

  /** Calls `listener` on each change of the order until the returned function is called. */
  listen(orderId: string, listener: (c: StatusChange) => void): () => void {
    this.events.on(orderId, listener);
    return () => this.events.off(orderId, listener);
  }

  /** Calls `listener` whenever some process announced units back in the gate (see GIVES_UNITS_BACK). */
  onUnitsBack(listener: () => void): () => void {
    this.events.on(UNITS_BACK, listener);
    return () => this.events.off(UNITS_BACK, listener);
  }

  /** Calls `listener` once when the feed stops (streams end so the server can close). */
  onStop(listener: () => void): () => void {
    this.events.once(STOP, listener);
    return () => this.events.off(STOP, listener);
  }

  stop(): void {
    this.events.emit(STOP);
    this.sub.disconnect();
  }
}
