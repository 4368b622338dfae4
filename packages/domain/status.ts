export const ORDER_STATUSES = ["PENDING", "PROCESSING", "COMPLETED", "REJECTED", "FAILED", "REFUNDED"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const TERMINAL_STATUSES: readonly OrderStatus[] = ["COMPLETED", "REJECTED", "FAILED", "REFUNDED"];

/** Reasons an order ends REJECTED: the business refusals the worker commits. */
export const REJECTION_REASONS = ["INSUFFICIENT_FUNDS", "SOLD_OUT", "LIMIT_EXCEEDED"] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export type ItemState = "scheduled" | "live" | "sold_out" | "ended";

/** An item's state at `now`: the sale window first, then whether units are left. */
export function itemState(
  item: { startsAt: Date; endsAt: Date | null; remaining: number },
  now: Date,
): ItemState {
  if (item.endsAt && item.endsAt.getTime() <= now.getTime()) return "ended";
  if (item.startsAt.getTime() > now.getTime()) return "scheduled";
  return item.remaining > 0 ? "live" : "sold_out";
}
