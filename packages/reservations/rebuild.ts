import { randomUUID } from "node:crypto";
import { AppError } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import type { ItemGateState } from "./items.ts";

export interface GateSnapshot {
  items: ItemGateState[];
  holdings: { userId: string; itemId: string; quantity: number }[];
}

/**
 * Rebuilds the gate from a PostgreSQL snapshot (items, remaining units, each buyer's
 * holdings) under a lock, so one process does it while the others wait for the new epoch.
 * Orders reserved under the old epoch are never released into the rebuilt counters.
 */
export async function rebuildGate(redis: ScriptedRedis, k: Keys, snapshot: () => Promise<GateSnapshot>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await redis.exists(k.epoch))) {
    const token = randomUUID();
    if (await redis.set(k.rebuildLock, token, "PX", timeoutMs, "NX")) {
      try {
        if (await redis.exists(k.epoch)) return;
        const { items, holdings } = await snapshot();
        const m = redis.multi();
        for (const item of items) {
          m.del(k.itemMeta(item.id), k.itemHeld(item.id));
          m.hset(k.itemMeta(item.id), itemFields(item));
          m.set(k.itemRemaining(item.id), item.remaining);
        }
        for (const h of holdings) m.hset(k.itemHeld(h.itemId), h.userId, h.quantity);
        m.set(k.epoch, token);
        await m.exec();
      } finally {
        if ((await redis.get(k.rebuildLock)) === token) await redis.del(k.rebuildLock);
      }
      return;
    }
    if (Date.now() > deadline) throw new AppError("UNAVAILABLE", "the reservation gate is being rebuilt");
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** An item's fields as the gate's meta hash holds them. */
export function itemFields(item: ItemGateState) {
  return {
    price: item.price,
    currency: item.currency,
    startsAt: item.startsAt.getTime(),
    // "" is "never": any number, 0 and negative ones included, is a real end.
    endsAt: item.endsAt ? item.endsAt.getTime() : "",
    maxPerUser: item.maxPerUser,
    stock: item.stock,
  };
}

