import { orderTotal, type SettleCommand } from "@flashsale/domain";
import type { ReservationGate } from "@flashsale/reservations";
import type { OrderPublisher } from "@flashsale/queue";
import type { FixtureBuyer } from "../fixtures/buyers";

/**
 * Queues `count` orders the way POST /orders does (reserve in Redis, confirmed publish),
 * round-robin over the buyers, 64 at a time, while no worker consumes: the settle benchmark
 * then drains a queue that is already full. Returns the orders with their buyers.
 */
export async function fillQueue(gate: ReservationGate, publisher: OrderPublisher, buyers: FixtureBuyer[], itemId: string, count: number): Promise<{ id: string; buyer: FixtureBuyer }[]> {
  const ids: { id: string; buyer: FixtureBuyer }[] = [];
  let next = 0;
  async function lane() {
    while (next < count) {
      const buyer = buyers[next++ % buyers.length]!;
      const now = new Date();
      const r = await gate.reserve({ userId: buyer.id, lines: [{ itemId, quantity: 1 }], now });
      if (r.kind !== "reserved") throw new Error(`could not reserve a bench order: ${JSON.stringify(r)}`);
      const orderId = r.orderId;
      const cmd: SettleCommand = { orderId, userId: buyer.id, lines: r.lines, total: orderTotal(r.lines), currency: r.currency, createdAt: now.toISOString() };
      await publisher.publish(cmd);
      await gate.markQueued(orderId);
      ids.push({ id: orderId, buyer });
    }
  }
  await Promise.all(Array.from({ length: 64 }, lane));
  return ids;
}
