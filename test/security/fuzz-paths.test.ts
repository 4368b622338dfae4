import { expect } from "chai";
import fc from "fast-check";
import { stack } from "../support/hooks";
import { oddText, queryString, segment } from "./hostile-input";
import { probe } from "./refusal-checks";
import { fuzzFixture } from "./fuzz-fixture";
import { fill, routesOf, takesBody, type Route } from "./route-table";

const SEED = 20240612;
const base64url = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("property: hostile paths and query strings", function () {
  this.timeout(120_000);
  const fx = fuzzFixture("paths, queries");
  const request = (route: Route, path: string, token: string | undefined) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (takesBody(route)) headers["content-type"] = "application/json";
    return { method: route.method, path, headers, body: takesBody(route) ? "{}" : undefined };
  };

  it("when any endpoint's path parameter is arbitrary text, an escape or a huge segment, then every answer is well-formed", async () => {
    const s = stack();
    const withParam = routesOf(s).filter((r) => r.path.includes(":"));
    const arb = fc.record({ route: fc.constantFrom(...withParam), id: segment, token: fc.constantFrom(undefined, fx.buyer.token, s.operator) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, id, token }) => {
        await probe(s.url, request(route, fill(route.path, id), token));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it("when a path names no endpoint, or an endpoint in another case or with escapes, then it is a well-formed 4xx or the endpoint", async () => {
    const s = stack();
    const mangled = fc.constantFrom(...routesOf(s)).chain((r) =>
      fc.constantFrom(r.path.toUpperCase(), r.path.replace(/\//g, "%2F"), `${r.path}/`, `/${r.path}`, r.path.replace("/", "/./"), `${r.path}/..;/x`, `${r.path};x=1`),
    );
    const arb = fc.record({ path: fc.oneof(fc.webPath(), mangled), method: fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS") });
    await fc.assert(
      fc.asyncProperty(arb, async ({ path, method }) => {
        const p = fill(path.startsWith("/") ? path : `/${path}`, fx.item.id);
        const a = await probe(s.url, { method, path: p, headers: { authorization: `Bearer ${fx.buyer.token}` } });
        if (method === "PUT" || method === "PATCH" || method === "DELETE") expect(a.status, p).to.be.within(400, 499);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("when a GET endpoint gets an arbitrary query string, then it answers the data or a well-formed 400", async () => {
    const s = stack();
    const reads = routesOf(s).filter((r) => r.method === "GET");
    const arb = fc.record({ route: fc.constantFrom(...reads), q: queryString, token: fc.constantFrom(fx.buyer.token, s.operator) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, q, token }) => {
        const id = route.path.startsWith("/users") ? fx.buyer.id : fx.item.id;
        await probe(s.url, request(route, `${fill(route.path, id)}?${q}`, token));
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("when a list is paged with a forged cursor (any date, any id, any JSON), then it answers a page or 400, never 5xx", async () => {
    const s = stack();
    const lists = routesOf(s).filter((r) => r.method === "GET" && /^\/items$|\/ledger$|^\/orders$/.test(r.path));
    const cursor = fc.oneof(
      fc.tuple(fc.date().map((d) => (Number.isNaN(d.getTime()) ? "x" : d.toISOString())), fc.oneof(fc.uuid(), fc.stringMatching(/^[0-9a-f-]{36}$/))).map((t) => base64url(JSON.stringify(t))),
      fc.jsonValue({ maxDepth: 2 }).map((v) => base64url(JSON.stringify(v))),
      oddText.map(base64url),
      oddText,
    );
    const arb = fc.record({ route: fc.constantFrom(...lists), cursor, token: fc.constantFrom(fx.buyer.token, s.operator) });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, cursor, token }) => {
        const path = `${fill(route.path, fx.buyer.id)}?${new URLSearchParams({ limit: "5", cursor })}`;
        await probe(s.url, request(route, path, token), [200, 400]);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
