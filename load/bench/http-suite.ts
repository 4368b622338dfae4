import type { FixtureBuyer } from "../fixtures/buyers";
import type { HttpBench } from "./http-run";

export interface HttpSettings {
  connections: number;
  durationSec: number;
}

/** Cycles through a list, one element per call. */
function cycle<T>(list: T[]): () => T {
  let i = 0;
  return () => list[i++ % list.length]!;
}

/** POST /orders for one unit of the item, each request by the next buyer of the list. */
function buyEach(buyers: FixtureBuyer[], itemId: string) {
  const nextBuyer = cycle(buyers);
  const body = JSON.stringify({ items: [{ itemId, quantity: 1 }] });
  return () => ({ path: "/orders", token: nextBuyer().token, body });
}

/** The ceiling: the same requests against a bare Express app answering 202. */
export function ceilingBench(url: string, buyers: FixtureBuyer[], itemId: string, s: HttpSettings): HttpBench {
  return { name: "ceiling: bare Express 202", url, method: "POST", next: buyEach(buyers, itemId), expect: 202, ...s };
}

/** The accept path: auth, rate limits, validation, the reserve script, a confirmed publish. */
export function acceptBench(url: string, buyers: FixtureBuyer[], itemId: string, s: HttpSettings): HttpBench {
  return {
    name: "POST /orders, accept",
    url,
    method: "POST",
    next: buyEach(buyers, itemId),
    expect: 202,
    baseline: "ceiling: bare Express 202",
    target: "≥ 0.5, p99 ≤ 25 ms",
    ...s,
  };
}

/** The refusal path: the same requests once the item is sold out (409 SOLD_OUT). */
export function refusalBench(url: string, buyers: FixtureBuyer[], itemId: string, s: HttpSettings): HttpBench {
  return {
    name: "POST /orders, sold out",
    url,
    method: "POST",
    next: buyEach(buyers, itemId),
    expect: 409,
    baseline: "ceiling: bare Express 202",
    target: "≥ 0.8, p99 ≤ 25 ms",
    ...s,
  };
}

/** GET /items/:id (public: the gate's remaining count over the database row). */
export function itemBench(url: string, itemId: string, s: HttpSettings): HttpBench {
  return { name: "GET /items/:id", url, method: "GET", next: () => ({ path: `/items/${itemId}` }), expect: 200, baseline: "ceiling: bare Express 202", ...s };
}

/** GET /orders/:id of settled orders, each by its own buyer. */
export function orderBench(url: string, orders: { id: string; buyer: FixtureBuyer }[], s: HttpSettings): HttpBench {
  const nextOrder = cycle(orders);
  return {
    name: "GET /orders/:id",
    url,
    method: "GET",
    next: () => {
      const o = nextOrder();
      return { path: `/orders/${o.id}`, token: o.buyer.token };
    },
    expect: 200,
    baseline: "ceiling: bare Express 202",
    ...s,
  };
}
