import type { ReservationGate } from "@flashsale/reservations";

/**
 * What the reservation gate still knows of orders PostgreSQL does not have: PENDING or
 * PROCESSING (still in flight), VOID (answered 503 and released), or nothing at all.
 * Rejects after `timeoutMs` in all: an ioredis Cluster that reaches none of its nodes queues
 * commands and retries forever instead of failing them (a single server fails them).
 */
export async function gateStatuses(gate: ReservationGate, orderIds: string[], timeoutMs = 15_000): Promise<Record<string, number>> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer from Redis in ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const counts: Record<string, number> = {};
  try {
    for (const id of orderIds) {
      const p = await Promise.race([gate.pendingOrder(id), deadline]);
      const s = p?.status ?? "unknown to Redis";
      counts[s] = (counts[s] ?? 0) + 1;
    }
  } finally {
    clearTimeout(timer);
  }
  return counts;
}
