import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { insertSettledOrders } from "./order-fixtures";

describe("paging GET /orders while orders arrive", function () {
  this.timeout(120_000);

  for (const [path, filter] of [
    ["an item's orders (order_lines index)", "itemId"],
    ["a buyer's orders (orders index)", "userId"],
  ] as const) {
    it(`when 1,000 orders are paged through as ${path} while new ones are inserted, then none is lost or repeated`, async () => {
      const s = stack();
      const userId = randomUUID();
      const itemId = randomUUID();
      const start = Date.now() - 3_600_000;
      // Groups of four share a millisecond, so the id tie-break is exercised on every page.
      const original = await insertSettledOrders(s, 1000, (i) => ({ userId, itemId, at: new Date(start + Math.floor(i / 4) * 1000) }));

      let paging = true;
      let arrived = 0;
      const arrivals = (async () => {
        // Newest orders, and late settlements of old ones (created long ago, inserted now).
        for (let i = 0; paging; i++) {
          const at = i % 2 ? new Date() : new Date(start + Math.floor(Math.random() * 250) * 1000);
          await insertSettledOrders(s, 3, () => ({ userId, itemId, at }));
          arrived += 3;
          await new Promise((r) => setTimeout(r, 5));
        }
      })();

      const seen: { id: string; createdAt: string }[] = [];
      let cursor: string | null = null;
      do {
        const q: string = `${filter}=${filter === "itemId" ? itemId : userId}&limit=37${cursor ? `&cursor=${cursor}` : ""}`;
        const r = await call(s.url, "GET", `/orders?${q}`, { token: s.operator });
        expect(r.status, r.text).to.equal(200);
        seen.push(...r.body.data);
        cursor = r.body.nextCursor;
      } while (cursor);
      paging = false;
      await arrivals;

      const ids = seen.map((o) => o.id);
      expect(new Set(ids).size, "an order listed twice").to.equal(ids.length);
      const listed = new Set(ids);
      expect(original.filter((o) => !listed.has(o.id)), "orders lost").to.deep.equal([]);
      for (let i = 1; i < seen.length; i++) {
        const [a, b] = [seen[i - 1]!, seen[i]!];
        expect(a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.id > b.id), `order at ${i}`).to.equal(true);
      }
      expect(arrived).to.be.greaterThan(0);
    });
  }
});
