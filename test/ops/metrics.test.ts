import { expect } from "chai";
import { settledOrderCounts } from "@flashsale/db";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer } from "../support/stack";
import { makeItem, order } from "../support/fixtures";
import { expectProblem } from "../support/problems";
import { waitFor } from "../support/wait";

/** What the orders table itself says, counted the slow way. */
async function fromTable() {
  const db = stack().api.deps.db;
  const rows = await db.$queryRaw<{ status: string; n: bigint }[]>`SELECT status::text, count(*) AS n FROM orders GROUP BY status`;
  const [avg] = await db.$queryRaw<{ ms: number | null }[]>`
    SELECT avg(EXTRACT(EPOCH FROM (completed_at - created_at)) * 1000)::float8 AS ms FROM orders WHERE status = 'COMPLETED'`;
  const counts: Record<string, number> = { PENDING: 0, PROCESSING: 0, COMPLETED: 0, REJECTED: 0, FAILED: 0, REFUNDED: 0 };
  for (const r of rows) counts[r.status] = Number(r.n);
  return { counts, total: Object.values(counts).reduce((a, b) => a + b, 0), avg: avg?.ms ?? null };
}

describe("GET /metrics", function () {
  this.timeout(120_000);

  it("when 300 buyers race for 30 units and everything has settled, then /metrics agrees with the orders table", async () => {
    const s = stack();
    const before = (await call(s.url, "GET", "/metrics", { token: s.operator })).body;
    const item = await makeItem(s, { stock: 30, price: 1999 });
    const buyers = await Promise.all(Array.from({ length: 300 }, () => makeBuyer(s, { USD: 5000 })));
    const replies = await Promise.all(buyers.map((b) => order(s, b.token, item.id)));
    expect(replies.filter((r) => r.status === 202)).to.have.length(30);

    const settled = await waitFor(
      "every order settled",
      async () => {
        const m = (await call(s.url, "GET", "/metrics", { token: s.operator })).body;
        const idle = m.orderCounts.PENDING === 0 && m.orderCounts.PROCESSING === 0 && m.queue.depth === 0;
        return idle && m.orderCounts.COMPLETED === before.orderCounts.COMPLETED + 30 && m;
      },
      30_000,
    );
    const table = await fromTable();
    const m = (await call(s.url, "GET", "/metrics", { token: s.operator })).body;
    console.log(`      GET /metrics after the race: ${JSON.stringify(m)}`);
    expect(m).to.deep.equal(settled);
    expect(m.orderCounts).to.deep.equal(table.counts);
    expect(m.totalOrders).to.equal(table.total);
    expect(m.averageProcessingTimeMs).to.be.a("number");
    expect(Math.abs(m.averageProcessingTimeMs - table.avg!)).to.be.at.most(0.5);
    expect(m.queue).to.deep.equal({ depth: 0, consumers: 2, deadLettered: before.queue.deadLettered });
  });

  it("when no order has completed, then averageProcessingTimeMs is null", async () => {
    const db = stack().api.deps.db;
    // Inside a transaction that is rolled back: the counters as on a fresh database.
    const seen = await db
      .$transaction(async (tx) => {
        await tx.$executeRaw`UPDATE order_counters SET orders = 0, timed_orders = 0, processing_ms = 0`;
        throw Object.assign(new Error("rollback"), { seen: await settledOrderCounts(tx) });
      })
      .catch((err: { seen?: unknown }) => err.seen);
    expect(seen).to.deep.equal({ counts: { COMPLETED: 0, REJECTED: 0, FAILED: 0, REFUNDED: 0 }, averageProcessingTimeMs: null });
  });

  it("when a buyer or nobody asks, then 403 and 401 on both metrics endpoints", async () => {
    const s = stack();
    const buyer = await makeBuyer(s);
    for (const path of ["/metrics", "/metrics/prometheus"]) {
      expectProblem(await call(s.url, "GET", path), 401, "UNAUTHENTICATED");
      expectProblem(await call(s.url, "GET", path, { token: buyer.token }), 403, "FORBIDDEN");
    }
  });
});
