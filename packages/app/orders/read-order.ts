import { AppError, type OrderView } from "@flashsale/domain";
import { assertSelfOrOperator, type Caller } from "../caller.ts";
import { lookupOrder, type LookupDeps } from "./order-view.ts";

/**
 * The order as its buyer or an operator may see it; to anyone else it does not exist
 * (ORDER_NOT_FOUND, word for word what a missing order says).
 */
export async function readOrder(caller: Caller | undefined, orderId: string, deps: LookupDeps): Promise<OrderView> {
  const order = await lookupOrder(orderId, deps);
  if (!order) throw new AppError("ORDER_NOT_FOUND", "no such order");
  assertSelfOrOperator(caller, order.userId, "ORDER_NOT_FOUND");
  return order;
}
