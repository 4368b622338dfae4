import { EventEmitter } from "node:events";
import { Cluster } from "ioredis";
import type { Keys, RedisClient } from "@flashsale/reservations";

export interface StatusChange {
  orderId: string;
  status: string;
}

interface Channel {
  listeners: number;
  subscribed: Promise<unknown>;
}

const STOP = Symbol("stop");
const UNITS_BACK = Symbol("units-back");
/** How long a stream waits for its order's channel (Redis away: the route answers 503 rather than hang). */
const SUBSCRIBE_TIMEOUT_MS = 2000;

/**
 * One subscriber connection per API process. An order's status changes come on its sharded
 * channel (SPUBLISH from the scripts, in the order's slot: on a Redis Cluster only that shard
 * carries them), subscribed while someone listens to that order; units coming back (restock,
 * refund, a released order) come on one broadcast channel every process hears. So any API
 * process can stream any order's changes.
 */
export class OrderStatusFeed {
  private readonly events = new EventEmitter();
  private readonly sub: RedisClient;
  /** The sharded channels listened to: many orders share one (their slot's). */
  private readonly channels = new Map<string, Channel>();

  constructor(redis: RedisClient, private readonly k: Keys) {
    this.events.setMaxListeners(0);
    // Subscriptions wait for the connection (and are remade after a reconnect or a failover).
    // No command timeout here: a SUBSCRIBE waits for Redis to come back, and ioredis remakes it after a reconnect.
    this.sub =
      redis instanceof Cluster
        ? redis.duplicate([], { enableOfflineQueue: true, redisOptions: { ...redis.options.redisOptions, commandTimeout: undefined } })
        : redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
    this.sub.on("error", () => undefined);
    this.sub.on("smessage", (_channel: string, raw: string) => {
      try {
        const change = JSON.parse(raw) as StatusChange;
        if (change.orderId) this.events.emit(change.orderId, change);
      } catch {
        /* not ours */
      }
    });
    this.sub.on("message", () => this.events.emit(UNITS_BACK));
  }

  async start(): Promise<void> {
    await this.sub.subscribe(this.k.unitsBackChannel);
  }

  /**
   * Calls `listener` on each change of the order until the returned function is called; resolves
   * once the order's channel is subscribed (every listener of a channel waits for the same
   * SSUBSCRIBE), so no change announced after that is missed.
   */
  async listen(orderId: string, listener: (c: StatusChange) => void): Promise<() => void> {
    const name = this.k.statusChannel(orderId);
    let channel = this.channels.get(name);
    if (!channel) {
      const made: Channel = { listeners: 0, subscribed: this.sub.ssubscribe(name) };
      // A subscription that failed is forgotten, so the next listener asks again.
      made.subscribed.catch(() => this.channels.get(name) === made && this.channels.delete(name));
      this.channels.set(name, (channel = made));
    }
    const joined = channel;
    joined.listeners++;
    this.events.on(orderId, listener);
    let done = false;
    const stop = () => {
      if (done) return;
      done = true;
      this.events.off(orderId, listener);
      if (--joined.listeners === 0 && this.channels.get(name) === joined) {
        this.channels.delete(name);
        this.sub.sunsubscribe(name).catch(() => undefined);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error("the order's channel was not subscribed in time")), SUBSCRIBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([joined.subscribed, late]);
    } catch (err) {
      stop();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    return stop;
  }

  /** Calls `listener` whenever some process announced units back in the gate. */
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
