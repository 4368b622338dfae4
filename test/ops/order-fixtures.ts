import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { OrderStatus } from "@flashsale/domain";
import type { Stack } from "../support/stack";
import type { Buyer } from "../support/stack";
import { call, type Reply } from "../support/http";
import { order } from "../support/fixtures";
import { waitFor } from "../support/wait";

export interface SettledRow {
  id: string;
  userId: string;
  itemId: string;
  status: OrderStatus;
  createdAt: Date;
}

/**
 * Settled orders written straight to PostgreSQL (for tests about reading them, where going
 * through the sale would only be slow): one line each; created_at from `at(i)`.
 */
export async function insertSettledOrders(
  s: Stack,
  n: number,
  pick: (i: number) => { userId: string; itemId: string; status?: OrderStatus; at: Date },
): Promise<SettledRow[]> {
  const rows: SettledRow[] = Array.from({ length: n }, (_, i) => {
    const p = pick(i);
    return { id: randomUUID(), userId: p.userId, itemId: p.itemId, status: p.status ?? "COMPLETED", createdAt: p.at };
  });
  const db = s.api.deps.db;
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    // One transaction: a reader paging meanwhile never sees an order without its line.
    await db.$transaction([
      db.order.createMany({
        data: chunk.map((r) => ({
          id: r.id,
          userId: r.userId,
          status: r.status,
          // As the worker writes them: REJECTED and FAILED orders always carry their reason.
          reason: r.status === "REJECTED" ? "SOLD_OUT" : r.status === "FAILED" ? "RETRIES_EXHAUSTED" : null,
          total: 100n,
          currency: "USD",
          createdAt: r.createdAt,
          completedAt: r.status === "PENDING" || r.status === "PROCESSING" ? null : new Date(r.createdAt.getTime() + 50),
        })),
      }),
      db.orderLine.createMany({ data: chunk.map((r) => ({ orderId: r.id, itemId: r.itemId, quantity: 1, price: 100n })) }),
    ]);
  }
  return rows;
}

/** Places one order through the API and waits until the worker has settled it with `status`. */
export async function buySettled(s: Stack, buyer: Buyer, itemId: string, status: OrderStatus = "COMPLETED", quantity = 1) {
  const r = await order(s, buyer.token, itemId, quantity);
  expect(r.status, r.text).to.equal(202);
  return waitFor(`order ${status}`, async () => {
    const o = await call(s.url, "GET", `/orders/${r.body.id}`, { token: s.operator });
    return o.body.status === status && o.body;
  });
}

/** Every page of GET /orders with `query`, following nextCursor to the end. */
export async function allPages(s: Stack, token: string, query: string, limit = 200) {
  const seen: { id: string; createdAt: string; status: string; userId: string }[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 10_000; guard++) {
    const q: string = `${query}${query ? "&" : ""}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    const r: Reply = await call(s.url, "GET", `/orders?${q}`, { token });
    expect(r.status, r.text).to.equal(200);
    seen.push(...r.body.data);
    cursor = r.body.nextCursor;
    if (!cursor) return seen;
  }
  throw new Error("paging did not end");
}
