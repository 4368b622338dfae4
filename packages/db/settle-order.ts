import { AppError, POINTS_CURRENCY, isAppError, linePoints, type OrderStatus, type RejectionReason, type SettleCommand } from "@flashsale/domain";
import type { Db, Tx } from "./client";
import { debitWallet, creditWallet } from "./wallets";

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
  const existing = await db.order.findUnique({ where: { id: cmd.orderId }, select: { status: true, reason: true } });
  if (existing) return { status: existing.status as OrderStatus, reason: existing.reason ?? undefined, fresh: false };
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

async function completeOrder(tx: Tx, cmd: SettleCommand, startedAt: Date): Promise<SettleOutcome> {
  const claimed = await insertOrder(tx, cmd, "PROCESSING", startedAt, null);
  if (!claimed) throw new AlreadySettled();
  let points = 0;
  // Items in id order, so two orders never lock the same rows in opposite orders.
  for (const line of [...cmd.lines].sort((a, b) => a.itemId.localeCompare(b.itemId))) {
    const items = await tx.$queryRaw<{ reward_ppm: number; max_per_user: number }[]>`
      UPDATE items SET remaining = remaining - ${line.quantity}
      WHERE id = ${line.itemId}::uuid AND remaining >= ${line.quantity}
      RETURNING reward_ppm, max_per_user`;
    if (items.length === 0) throw new AppError("SOLD_OUT", "not enough units left");
    const { reward_ppm: rewardPpm, max_per_user: maxPerUser } = items[0]!;
    const held = await tx.$executeRaw`
      INSERT INTO holdings (user_id, item_id, quantity, max_per_user)
      SELECT ${cmd.userId}::uuid, ${line.itemId}::uuid, ${line.quantity}, ${maxPerUser}
      WHERE ${line.quantity} <= ${maxPerUser}
      ON CONFLICT (user_id, item_id) DO UPDATE SET quantity = holdings.quantity + EXCLUDED.quantity
      WHERE holdings.quantity + EXCLUDED.quantity <= holdings.max_per_user`;
    if (held === 0) throw new AppError("LIMIT_EXCEEDED", "past the item's limit per buyer");
    points += linePoints({ ...line, rewardPpm });
  }
  if (cmd.total > 0) await debitWallet(tx, cmd.userId, cmd.currency, cmd.total, "PURCHASE", cmd.orderId);
  if (points > 0) await creditWallet(tx, cmd.userId, POINTS_CURRENCY, points, "REWARD", cmd.orderId);
  await tx.$executeRaw`
    UPDATE orders SET status = 'COMPLETED', reward_points = ${points}, completed_at = now(), updated_at = now()
    WHERE id = ${cmd.orderId}::uuid`;
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

async function insertOrder(tx: Tx, cmd: SettleCommand, status: OrderStatus, startedAt: Date | null, reason: string | null): Promise<boolean> {
  const terminal = status !== "PROCESSING";
  const n = await tx.$executeRaw`
    INSERT INTO orders (id, user_id, status, reason, total, currency, idempotency_key, created_at, started_at, completed_at, updated_at)
    VALUES (${cmd.orderId}::uuid, ${cmd.userId}::uuid, ${status}::"OrderStatus", ${reason}, ${cmd.total}, ${cmd.currency},
      ${cmd.idempotencyKey ?? null}, ${new Date(cmd.createdAt)}, ${startedAt}, ${terminal ? new Date() : null}, now())
    ON CONFLICT (id) DO NOTHING`;
  if (n === 0) return false;
  await tx.orderLine.createMany({
    data: cmd.lines.map((l) => ({ orderId: cmd.orderId, itemId: l.itemId, quantity: l.quantity, price: BigInt(l.price) })),
  });
  return true;
}
