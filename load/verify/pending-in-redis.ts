import type { ReservationGate } from "@flashsale/reservations";

/**
 * What the reservation gate still knows of orders PostgreSQL does not have: PENDING or
 * PROCESSING (still in flight), VOID (answered 503 and released), or nothing at all.
 */
export async function gateStatuses(gate: ReservationGate, orderIds: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const id of orderIds) {
    const p = await gate.pendingOrder(id);
    const s = p?.status ?? "unknown to Redis";
    counts[s] = (counts[s] ?? 0) + 1;
  }
  return counts;
}
