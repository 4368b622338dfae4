import type { OrderStatus } from "@flashsale/domain";
import { orderHistory, type OrderHistoryPage, type OrderPosition } from "@flashsale/db";
import type { Caller } from "../caller.ts";
import { lagging, type ReadDbs } from "../lagging-reads.ts";

export interface OrderQuery {
  status?: OrderStatus;
  itemId?: string;
  /** Heard from operators only: a buyer always sees its own orders. */
  userId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  after?: OrderPosition;
}

/** GET /orders: one page of settled orders, newest first, read from the replica (it may lag); a buyer's list holds only its own. */
export async function listOrders(caller: Caller, q: OrderQuery, deps: ReadDbs): Promise<OrderHistoryPage> {
  const userId = caller.role === "operator" ? q.userId?.toLowerCase() : caller.sub;
  const filter = { userId, status: q.status, itemId: q.itemId?.toLowerCase(), from: q.from, to: q.to };
  return lagging(deps, (db) => orderHistory(db, filter, q.limit, q.after));
}
