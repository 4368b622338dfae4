import { AppError, POINTS_CURRENCY, isAppError, linePoints, type OrderStatus, type RejectionReason, type SettleCommand } from "@flashsale/domain";
import type { Db, Tx } from "./client.ts";
import { debitWallet, creditWallet } from "./wallets.ts";

export type SettleOutcome =
  | { status: "COMPLETED"; rewardPoints: number; fresh: true }
  | { status: "REJECTED"; reason: RejectionReason; fresh: true }
  | { status: OrderStatus; reason?: string; fresh: false };

const REFUSALS = new Set(["SOLD_OUT", "LIMIT_EXCEEDED", "INSUFFICIENT_FUNDS"]);

/**
 * Settles one queued order in one PostgreSQL transaction: guarded stock decrement, guarded
 * per-buyer count, guarded wallet debit, ledger rows, reward points, status COMPLETED. All
 * or nothing, and idempotent by order id: a redelivered command finds the order and changes
 * nothing. A business refusal commits the order REJECTED with its reason instead.
 */
export async function settleOrder(db: Db, cmd: SettleCommand, startedAt: Date): Promise<SettleOutcome> {
  try {
    return await db.$transaction((tx) => completeOrder(tx, cmd, startedAt), { timeout: 20_000, maxWait: 20_000 });
  } catch (err) {
    if (err instanceof AlreadySettled) return current(db, cmd.orderId);
    if (!(isAppError(err) && REFUSALS.has(err.code))) throw err;
    return rejectOrder(db, cmd, startedAt, err.code as RejectionReason);
  }
}

/** Another delivery of the same order committed first. */
class AlreadySettled extends Error {}

/**
 * The statements, in an order chosen for throughput: every guarded write that only touches
 * this buyer's rows first, then the order row, and the sale's hot `items` row last, so that
 * row is locked for one statement and the commit instead of the whole transaction. (Lock
 * order holdings -> wallets -> orders -> items; refunds take them in the same order.)
 */
async function completeOrder(tx: Tx, cmd: SettleCommand, startedAt: Date): Promise<SettleOutcome> {
  // Items in id order, so two orders never lock the same rows in opposite orders.
  const lines = [...cmd.lines].sort((a, b) => a.itemId.localeCompare(b.itemId));
  const rules = await tx.$queryRaw<{ id: string; reward_ppm: number; max_per_user: number }[]>`
    SELECT id::text, reward_ppm, max_per_user FROM items WHERE id = ANY(${lines.map((l) => l.itemId)}::uuid[])`;
  let points = 0;
  for (const line of lines) {
    const rule = rules.find((r) => r.id === line.itemId);
    if (!rule) throw new AppError("SOLD_OUT", "the item no longer exists");
    const held = await tx.$executeRaw`
      INSERT INTO holdings (user_id, item_id, quantity, max_per_user)
      SELECT ${cmd.userId}::uuid, ${line.itemId}::uuid, ${line.quantity}, ${rule.max_per_user}
      WHERE ${line.quantity} <= ${rule.max_per_user}
      ON CONFLICT (user_id, item_id) DO UPDATE SET quantity = holdings.quantity + EXCLUDED.quantity
      WHERE holdings.quantity + EXCLUDED.quantity <= holdings.max_per_user`;
    if (held === 0) throw new AppError("LIMIT_EXCEEDED", "past the item's limit per buyer");
    points += linePoints({ ...line, rewardPpm: rule.reward_ppm });
  }
  if (cmd.total > 0) await debitWallet(tx, cmd.userId, cmd.currency, cmd.total, "PURCHASE", cmd.orderId);
  if (points > 0) await creditWallet(tx, cmd.userId, POINTS_CURRENCY, points, "REWARD", cmd.orderId);
  if (!(await insertOrder(tx, cmd, "COMPLETED", startedAt, null, points))) throw new AlreadySettled();
  for (const line of lines) {
    const taken = await tx.$executeRaw`
      UPDATE items SET remaining = remaining - ${line.quantity}
      WHERE id = ${line.itemId}::uuid AND remaining >= ${line.quantity}`;
    if (taken === 0) throw new AppError("SOLD_OUT", "not enough units left");
  }
  return { status: "COMPLETED", rewardPoints: points, fresh: true };
}

async function rejectOrder(db: Db, cmd: SettleCommand, startedAt: Date, reason: RejectionReason): Promise<SettleOutcome> {
  const inserted = await db.$transaction((tx) => insertOrder(tx, cmd, "REJECTED", startedAt, reason));
  return inserted ? { status: "REJECTED", reason, fresh: true } : current(db, cmd.orderId);
}

async function current(db: Db, orderId: string): Promise<SettleOutcome> {
  const o = await db.order.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, reason: true } });
  return { status: o.status as OrderStatus, reason: o.reason ?? undefined, fresh: false };
}

/** Marks an order FAILED once its retries are spent (nothing was taken: no transaction committed). */
export async function failOrder(db: Db, cmd: SettleCommand, reason: string): Promise<boolean> {
  return db.$transaction((tx) => insertOrder(tx, cmd, "FAILED", null, reason));
}

/** Inserts the order with its lines in one statement; false when the id exists already. */
async function insertOrder(tx: Tx, cmd: SettleCommand, status: OrderStatus, startedAt: Date | null, reason: string | null, points = 0): Promise<boolean> {
  const rows = await tx.$queryRaw<{ n: number }[]>`
    WITH o AS (
      INSERT INTO orders (id, user_id, status, reason, total, currency, reward_points, idempotency_key, created_at, started_at, completed_at, updated_at)
      VALUES (${cmd.orderId}::uuid, ${cmd.userId}::uuid, ${status}::"OrderStatus", ${reason}, ${cmd.total}, ${cmd.currency}, ${points},
        ${cmd.idempotencyKey ?? null}, ${new Date(cmd.createdAt)}, ${startedAt}, now(), now())
      ON CONFLICT (id) DO NOTHING
      RETURNING id
    ), l AS (
      INSERT INTO order_lines (order_id, item_id, quantity, price)
      SELECT o.id, x.item_id, x.quantity, x.price
      FROM o, unnest(${cmd.lines.map((l) => l.itemId)}::uuid[], ${cmd.lines.map((l) => l.quantity)}::int[], ${cmd.lines.map((l) => String(l.price))}::bigint[]) AS x(item_id, quantity, price)
    )
    SELECT count(*)::int AS n FROM o`;
  return rows[0]!.n === 1;
}
