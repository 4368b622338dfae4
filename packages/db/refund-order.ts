import { AppError, POINTS_CURRENCY, type OrderView } from "@flashsale/domain";
import type { Tx } from "./client.ts";
import { findOrder } from "./orders.ts";
import { creditWallet, debitWallet } from "./wallets.ts";

/**
 * Refunds a COMPLETED order in the caller's transaction, all or nothing: status REFUNDED,
 * each line's units back to the item's stock buckets (spread over them), the buyer's holding of each item back (so its
 * maxPerUser allowance returns), the total back to the wallet (ledger REFUND), and the
 * reward points taken back (ledger REWARD with a negative delta; INSUFFICIENT_FUNDS when
 * the buyer has spent them). The status moves by one guarded UPDATE, so of any number of
 * concurrent refunds of one order exactly one succeeds and the others are NOT_REFUNDABLE.
 * ORDER_NOT_FOUND when the database has no such order (it may still be PENDING in Redis:
 * the caller tells those apart).
 */
export async function refundOrder(tx: Tx, orderId: string): Promise<OrderView> {
  const claimed = await tx.$queryRaw<{ user_id: string; currency: string; total: bigint; reward_points: bigint }[]>`
    UPDATE orders SET status = 'REFUNDED', updated_at = now()
    WHERE id = ${orderId}::uuid AND status = 'COMPLETED'
    RETURNING user_id, currency, total, reward_points`;
  if (claimed.length === 0) {
    const exists = await tx.order.count({ where: { id: orderId } });
    if (exists === 0) throw new AppError("ORDER_NOT_FOUND", "no such order");
    throw new AppError("NOT_REFUNDABLE", "only a COMPLETED order can be refunded");
  }
  const { user_id: userId, currency, total, reward_points: points } = claimed[0]!;
  const lines = await tx.orderLine.findMany({ where: { orderId }, orderBy: { itemId: "asc" } });
  // Locks in settlement's order (holdings, wallets, then each item's buckets in id order), so a refund and
  // a settlement of the same buyer and item never wait on each other in a cycle.
  for (const line of lines) {
    const held = await tx.$executeRaw`
      UPDATE holdings SET quantity = quantity - ${line.quantity}
      WHERE user_id = ${userId}::uuid AND item_id = ${line.itemId}::uuid AND quantity >= ${line.quantity}`;
    if (held === 0) throw new Error(`holding of item ${line.itemId} is smaller than the refunded order ${orderId}`);
  }
  if (total > 0n) await creditWallet(tx, userId, currency, Number(total), "REFUND", orderId);
  if (points > 0n) await debitWallet(tx, userId, POINTS_CURRENCY, Number(points), "REWARD", orderId);
  for (const line of lines) {
    await tx.$queryRaw`SELECT item_stock_spread(${line.itemId}::uuid, ${line.quantity}::int)::text`;
  }
  return (await findOrder(tx, orderId))!;
}
