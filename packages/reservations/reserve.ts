import { AppError, type ErrorCode, type OrderLineView } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import { itemTag, orderTag } from "./slots.ts";

export interface ReserveRequest {
  userId: string;
  lines: { itemId: string; quantity: number }[];
  idempotencyKey?: string;
  requestHash?: string;
  now: Date;
}

export type ReserveResult =
  | { kind: "reserved"; orderId: string; currency: string; lines: OrderLineView[] }
  | { kind: "duplicate"; orderId: string };

/** The script's refusals in the contract's rule order (the first rule any line fails answers), with the message a client reads. */
const REFUSALS: [ErrorCode, string][] = [
  ["ITEM_NOT_FOUND", "no such item"],
  ["MIXED_CURRENCY", "every item of one order must be priced in the same currency"],
  ["SALE_NOT_STARTED", "the sale of this item has not started"],
  ["SALE_ENDED", "the sale of this item has ended"],
  ["LIMIT_EXCEEDED", "this order would take you past the item's limit per buyer"],
  ["SOLD_OUT", "not enough units left"],
];
const RANK = new Map(REFUSALS.map(([code], i) => [code, i]));
// SALE_NOT_STARTED and SALE_ENDED are one rule (the sale window): the first line that fails it answers.
const ruleOf = (code: ErrorCode) => (code === "SALE_ENDED" ? RANK.get("SALE_NOT_STARTED")! : RANK.get(code)!);

/** What one group's script answered. */
export type GroupAnswer =
  | { ok: true; currency: string; prices: number[] }
  | { ok: false; rehydrate: string }
  | { ok: false; code: ErrorCode; line: number; currency: string };

/** Runs reserve.lua for one group of lines that live in one slot; `home` writes the order's record. */
export async function reserveGroup(redis: ScriptedRedis, k: Keys, orderId: string, req: ReserveRequest, group: ReserveRequest["lines"], home: boolean, orderTtlSeconds: number): Promise<GroupAnswer> {
  // A group away from home writes no record: its two record keys are named in its own slot, unused.
  const tag = home ? orderTag(orderId) : itemTag(group[0]!.itemId);
  const redisKeys = [
    home ? k.order(orderId) : k.order(tag),
    k.ordersPending(tag),
    ...group.flatMap((l) => [k.itemEpoch(l.itemId), k.itemMeta(l.itemId), k.itemRemaining(l.itemId), k.itemHeld(l.itemId), k.itemHolds(l.itemId)]),
  ];
  const args = [req.now.getTime(), orderId, req.userId, orderTtlSeconds, home ? "1" : "0", req.idempotencyKey ?? "", ...group.flatMap((l) => [l.itemId, l.quantity])];
  const out = await redis.reserve(redisKeys, ...args);
  const head = String(out[0]);
  if (head === "OK") return { ok: true, currency: String(out[1]), prices: out.slice(2).map(Number) };
  if (head === "REHYDRATE") return { ok: false, rehydrate: group[Number(out[1]) - 1]!.itemId };
  if (!RANK.has(head as ErrorCode)) throw new Error(`unexpected reserve answer ${head}`);
  return { ok: false, code: head as ErrorCode, line: req.lines.indexOf(group[Number(out[1]) - 1]!), currency: String(out[2]) };
}

/**
 * The refusal for the whole order from its groups' answers, in the contract's rule order over
 * all lines: each group stopped at the first rule one of its lines failed, so the order's is
 * the earliest of those, with items priced in two currencies (MIXED_CURRENCY) ranked
 * between unknown items and the sale window. Null when no group refused.
 */
export function refusalOf(answers: GroupAnswer[]): AppError | null {
  if (answers.length === 1 && answers[0]!.ok) return null;
  const refused = answers.flatMap((a) => (!a.ok && "code" in a ? [a] : []));
  const currencies = new Set(answers.flatMap((a) => ("currency" in a && a.currency ? [a.currency] : [])));
  let first: { code: ErrorCode; line: number } | null = null;
  for (const r of refused) {
    if (!first || ruleOf(r.code) < ruleOf(first.code) || (ruleOf(r.code) === ruleOf(first.code) && r.line < first.line)) first = r;
  }
  if (currencies.size > 1 && (!first || ruleOf(first.code) > ruleOf("MIXED_CURRENCY"))) {
    first = { code: "MIXED_CURRENCY", line: -1 };
  }
  return first ? new AppError(first.code, REFUSALS[RANK.get(first.code)!]![1]) : null;
}

/** The reserved lines with their prices, in the request's order, from the groups' answers. */
export function reservedLines(req: ReserveRequest, groups: ReserveRequest["lines"][], answers: GroupAnswer[]): OrderLineView[] {
  const only = answers.length === 1 ? answers[0]! : null;
  if (only?.ok) return req.lines.map((l, i) => ({ itemId: l.itemId, quantity: l.quantity, price: only.prices[i]! }));
  const price = new Map<string, number>();
  groups.forEach((g, i) => {
    const a = answers[i]!;
    if (a.ok) g.forEach((l, j) => price.set(l.itemId, a.prices[j]!));
  });
  return req.lines.map((l) => ({ itemId: l.itemId, quantity: l.quantity, price: price.get(l.itemId)! }));
}
