import { AppError } from "@flashsale/domain";
import type { Keys } from "./keys.ts";
import type { ScriptedRedis } from "./scripts.ts";
import { refusalOf, reservedLines, reserveGroup, type GroupAnswer, type ReserveRequest, type ReserveResult } from "./reserve.ts";
import { endLines, voidHome } from "./void-order.ts";
import { lineGroups } from "./slots.ts";

/** What reserving an order needs of its gate. */
export interface ReserveContext {
  redis: ScriptedRedis;
  keys: Keys;
  clustered: boolean;
  orderTtlSeconds: number;
  rebuild(itemIds: string[]): Promise<void>;
  unitsBack(lines: readonly { itemId: string }[]): Promise<void>;
}

type Line = { itemId: string; quantity: number };
const REBUILD_TRIES = 3;

/** Passes a coded AppError on; anything else (a dead socket, a database error) becomes UNAVAILABLE. */
const unavailable = (message: string) => (err: unknown): never => {
  if (err instanceof AppError) throw err;
  throw new AppError("UNAVAILABLE", message);
};
export const redisAway = unavailable("reservations are unavailable; nothing was reserved");
const rebuilding = unavailable("reservations are being rebuilt; nothing was reserved");

/**
 * Reserves every line of an order under `orderId`, or nothing: one script per slot group, all
 * at once; a refusal, a lost item or a failure on any group gives back what the others took.
 * Items whose shard lost their state are rebuilt and the order tried again.
 */
export async function reserveLines(ctx: ReserveContext, orderId: string, req: ReserveRequest): Promise<ReserveResult> {
  const groups = lineGroups(req.lines, ctx.clustered);
  for (let i = 0; i < REBUILD_TRIES; i++) {
    const answers = await reserveGroups(ctx, orderId, req, groups);
    const refusal = refusalOf(answers);
    const missing = answers.some((a) => !a.ok && "rehydrate" in a);
    if (!refusal && !missing) {
      const lines = reservedLines(req, groups, answers);
      // The home script knew its own lines' prices only: the record gets them all before the 202.
      if (groups.length > 1) {
        await ctx.redis.hset(ctx.keys.order(orderId), "lines", lines.map((l) => `${l.itemId}:${l.quantity}:${l.price}`).join(";")).catch((err) => abandon(ctx, orderId, groups, err));
      }
      return { kind: "reserved", orderId, currency: (answers[0] as { currency: string }).currency, lines };
    }
    await undo(ctx, orderId, groups, answers);
    // A lost item is rebuilt before any refusal is answered: its own rule may come first.
    if (!missing) throw refusal;
    await ctx.rebuild(req.lines.map((l) => l.itemId)).catch(rebuilding);
  }
  throw new AppError("UNAVAILABLE", "reservations are being rebuilt; nothing was reserved");
}

/**
 * Every group's script, at once. When one of them fails (Redis away, a slot without a master),
 * the others may have reserved, and a failed one may have run before its answer was lost:
 * every group is undone before UNAVAILABLE is thrown, so a 503 leaves nothing reserved.
 */
async function reserveGroups(ctx: ReserveContext, orderId: string, req: ReserveRequest, groups: Line[][]): Promise<GroupAnswer[]> {
  const settled = await Promise.allSettled(groups.map((g, j) => reserveGroup(ctx.redis, ctx.keys, orderId, req, g, j === 0, ctx.orderTtlSeconds)));
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) return abandon(ctx, orderId, groups, failed.reason);
  return settled.map((r) => (r as PromiseFulfilledResult<GroupAnswer>).value);
}

/** Undoes every group of an order that could not be reserved whole (each undo is idempotent), then throws as Redis being away. */
async function abandon(ctx: ReserveContext, orderId: string, groups: Line[][], err: unknown): Promise<never> {
  await Promise.allSettled(groups.map((g, j) => (j === 0 ? voidHome(ctx.redis, ctx.keys, orderId, g) : endLines(ctx.redis, ctx.keys, orderId, g, true))));
  return redisAway(err);
}

/** Gives back what the groups that did reserve took, when another group refused: no order is ever half reserved. */
async function undo(ctx: ReserveContext, orderId: string, groups: Line[][], answers: GroupAnswer[]): Promise<void> {
  const took = groups.flatMap((g, j) => (groups.length > 1 && answers[j]!.ok ? [{ g, j }] : []));
  if (took.length === 0) return;
  await Promise.all(took.map(({ g, j }) => (j === 0 ? voidHome(ctx.redis, ctx.keys, orderId, g) : endLines(ctx.redis, ctx.keys, orderId, g, true)))).catch(redisAway);
  // Another buyer may have been refused SOLD_OUT while these units were held: processes forget such refusals.
  await ctx.unitsBack(took.flatMap(({ g }) => g));
}
