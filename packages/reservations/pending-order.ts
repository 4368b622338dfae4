import type { OrderLineView, OrderStatus } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";

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

/** The order as the gate knows it before the database has it, or null. */
export async function pendingOrder(redis: ScriptedRedis, k: Keys, orderId: string): Promise<PendingOrder | null> {
  const h = await redis.hgetall(k.order(orderId));
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

function parseLines(encoded: string): OrderLineView[] {
  if (!encoded) return [];
  return encoded.split(";").map((s) => {
    const [itemId, quantity, price] = s.split(":");
    return { itemId: itemId!, quantity: Number(quantity), price: Number(price) };
  });
}
