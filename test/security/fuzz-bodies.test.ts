import fc from "fast-check";
import { stack } from "../support/hooks";
import { anyBodyText, contentType, nearly, notACount, oddText } from "./hostile-input";
import { probe } from "./refusal-checks";
import { fuzzFixture } from "./fuzz-fixture";
import { fill, routesOf, takesBody } from "./route-table";

const SEED = 20240611;
const validCount = (v: unknown, max: number) => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= max;

describe("property: hostile bodies", function () {
  this.timeout(120_000);
  const fx = fuzzFixture("bodies");

  it("when any text is posted to any endpoint with any media type and any token, then every answer is well-formed", async () => {
    const s = stack();
    const routes = routesOf(s).filter(takesBody);
    const tokens = [undefined, fx.buyer.token, s.operator, "not.a.token"];
    const arb = fc.record({
      route: fc.constantFrom(...routes),
      id: fc.constantFrom(fx.item.id, fx.buyer.id, "00000000-0000-0000-0000-000000000000", "nope"),
      token: fc.constantFrom(...tokens),
      type: contentType,
      body: anyBodyText,
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, id, token, type, body }) => {
        const headers: Record<string, string> = { "content-type": type };
        if (token) headers.authorization = `Bearer ${token}`;
        await probe(s.url, { method: route.method, path: fill(route.path, id), headers, body });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  // Bodies shaped like the real thing with hostile fields, sent with the token that passes the
  // permission check, so that validation, not authentication, is what is tested.
  const cases: { name: string; path: () => string; token: () => string; arb: () => fc.Arbitrary<Record<string, unknown>>; ok: number[]; runs: number; moves?: (b: any) => boolean }[] = [
    {
      name: "POST /orders",
      path: () => "/orders",
      token: () => fx.buyer.token,
      arb: () =>
        nearly({
          items: fc.array(nearly({ itemId: fc.oneof(fc.constant(fx.item.id), fc.uuid(), oddText), quantity: fc.oneof(fc.integer({ min: 1, max: 3 }), notACount) }), { maxLength: 25 }),
        }),
      // A line for the sale item with a valid quantity would really reserve: not hostile, left out.
      moves: (b) => Array.isArray(b.items) && b.items.some((l: any) => l && typeof l.itemId === "string" && l.itemId.toLowerCase() === fx.item.id && validCount(l.quantity, 1000)),
      ok: [400, 404],
      runs: 250,
    },
    {
      name: "POST /users/:id/balance/credit",
      path: () => `/users/${fx.buyer.id}/balance/credit`,
      token: () => stack().operator,
      arb: () => nearly({ amount: notACount, currency: fc.constantFrom("USD", "JPY", "usd", "US", "USDX") }),
      moves: (b) => validCount(b.amount, 1e12),
      ok: [400],
      runs: 150,
    },
    {
      name: "POST /users/:id/balance/debit",
      path: () => `/users/${fx.buyer.id}/balance/debit`,
      token: () => stack().operator,
      arb: () => nearly({ amount: notACount, currency: fc.constantFrom("USD", "PTS", "€€€") }),
      moves: (b) => validCount(b.amount, 1e12),
      ok: [400],
      runs: 150,
    },
    {
      name: "POST /items/:id/restock",
      path: () => `/items/${fx.item.id}/restock`,
      token: () => stack().operator,
      arb: () => nearly({ quantity: notACount }),
      moves: (b) => validCount(b.quantity, 10_000_000),
      ok: [400],
      runs: 150,
    },
    {
      name: "POST /items",
      path: () => "/items",
      token: () => stack().operator,
      arb: () =>
        nearly({
          name: oddText,
          price: fc.nat(),
          currency: fc.constantFrom("USD", "JPY", "xx"),
          stock: fc.nat({ max: 100 }),
          maxPerUser: fc.integer({ min: 1, max: 1000 }),
          startsAt: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          endsAt: fc.oneof(fc.constant(null), fc.date({ noInvalidDate: true }).map((d) => d.toISOString())),
          rewardRate: fc.double({ min: 0, max: 1, noNaN: true }),
        }),
      ok: [201, 400],
      runs: 250,
    },
    {
      name: "POST /items (valid but for an odd name)",
      path: () => "/items",
      token: () => stack().operator,
      arb: () => fc.record({ name: oddText }).map((o) => ({ price: 100, currency: "USD", stock: 0, ...o })),
      ok: [201, 400],
      runs: 60,
    },
    {
      name: "POST /users",
      path: () => "/users",
      token: () => stack().operator,
      arb: () => nearly({ email: fc.oneof(fc.emailAddress(), oddText), password: fc.string({ minLength: 8, maxLength: 12 }), role: fc.constantFrom("buyer", "operator", "admin") }),
      ok: [201, 400, 409],
      runs: 150,
    },
    {
      name: "POST /auth/token",
      path: () => "/auth/token",
      token: () => "",
      arb: () => nearly({ email: fc.oneof(fc.emailAddress(), oddText), password: fc.oneof(fc.string({ maxLength: 12 }), oddText) }),
      ok: [400, 401],
      runs: 80,
    },
  ];

  for (const c of cases) {
    it(`when ${c.name} gets bodies of the right shape with hostile fields, then it refuses them cleanly (${c.ok.join("/")})`, async () => {
      const s = stack();
      const arb = c.moves ? c.arb().filter((b) => !c.moves!(b)) : c.arb();
      await fc.assert(
        fc.asyncProperty(arb, async (body) => {
          const headers: Record<string, string> = { "content-type": "application/json" };
          if (c.token()) headers.authorization = `Bearer ${c.token()}`;
          await probe(s.url, { method: "POST", path: c.path(), headers, body: JSON.stringify(body) }, c.ok);
        }),
        { seed: SEED, numRuns: c.runs },
      );
    });
  }
});
