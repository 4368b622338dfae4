import { expect } from "chai";
import fc from "fast-check";
import { stack } from "../support/hooks";
import { probe } from "./refusal-checks";
import { fuzzFixture } from "./fuzz-fixture";
import { routesOf } from "./route-table";

const SEED = 20240613;
// What a header can carry on the wire: Node reads header bytes as latin1, so unicode keys arrive as their UTF-8 bytes.
const asHeader = (s: string) => Buffer.from(s, "utf8").toString("latin1");
const onWire = (s: string) => s.replace(/^[ \t]+|[ \t]+$/g, "");
const headerSafe = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);

describe("property: hostile headers", function () {
  this.timeout(120_000);
  const fx = fuzzFixture("headers");

  it("when an Idempotency-Key is empty, 256+ characters or unicode, then a real order is refused 400 before anything is reserved, and 1..255 passes the check", async () => {
    const s = stack();
    const key = fc.oneof(
      fc.constantFrom("", " ", "x".repeat(255), "x".repeat(256), "é".repeat(128), "🔑".repeat(64), "k".repeat(10_000)).map(asHeader),
      fc.string({ unit: "binary", maxLength: 300 }).map(asHeader).filter(headerSafe),
      fc.nat({ max: 400 }).map((n) => "a".repeat(n)),
    );
    // The sale item with a bad key must be 400 (nothing reserved); a good key goes to an unknown item (404) so the books stay put.
    const arb = fc.record({ key, target: fc.constantFrom(fx.item.id, "2b1f8c1e-0000-4000-8000-000000000000") });
    await fc.assert(
      fc.asyncProperty(arb, async ({ key, target }) => {
        const valid = onWire(key).length >= 1 && onWire(key).length <= 255;
        const itemId = valid ? "2b1f8c1e-0000-4000-8000-000000000000" : target;
        const headers = { authorization: `Bearer ${fx.buyer.token}`, "content-type": "application/json", "idempotency-key": key };
        const a = await probe(s.url, { method: "POST", path: "/orders", headers, body: JSON.stringify({ items: [{ itemId, quantity: 1 }] }) });
        expect(a.status, `key of ${onWire(key).length}`).to.equal(valid ? 404 : 400);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it("when the Authorization header is anything but a valid bearer token, then every protected endpoint answers 401 UNAUTHENTICATED", async () => {
    const s = stack();
    const publicRoute = /^\/(healthz|readyz|openapi\.json|dashboard)$|^\/items(\/:id)?$/;
    const guarded = routesOf(s).filter((r) => !(r.method === "GET" && publicRoute.test(r.path)) && r.path !== "/auth/token");
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString("base64url");
    const value = fc.oneof(
      fc.string({ unit: "binary-ascii", maxLength: 80 }),
      fc.string({ unit: "binary-ascii", maxLength: 80 }).map((t) => `Bearer ${t}`),
      fc.tuple(fc.jsonValue({ maxDepth: 1 }), fc.jsonValue({ maxDepth: 1 }), fc.base64String()).map(([h, p, sig]) => `Bearer ${b64(h)}.${b64(p)}.${sig}`),
      fc.constantFrom("Basic dXNlcjpwYXNz", "Bearer", "Bearer ", "Token abc", `Bearer ${fx.buyer.token} ${fx.buyer.token}`, `Bearer ${fx.buyer.token}x`, `Bearer ${fx.buyer.token.split(".").slice(0, 2).join(".")}.`),
    ).filter((v) => headerSafe(v) && onWire(v) === v);
    const arb = fc.record({ route: fc.constantFrom(...guarded), auth: value });
    await fc.assert(
      fc.asyncProperty(arb, async ({ route, auth }) => {
        const path = route.path.replace(/:[A-Za-z]+/g, route.path.startsWith("/users") ? fx.buyer.id : fx.item.id);
        const body = route.method === "GET" ? undefined : "{}";
        const a = await probe(s.url, { method: route.method, path, headers: { authorization: auth, "content-type": "application/json" }, body }, [401]);
        expect(a.body.code).to.equal("UNAUTHENTICATED");
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it("when a body comes compressed, mis-compressed or in an unknown encoding, then it is read, 400 or 415, never 5xx", async () => {
    const s = stack();
    const { gzipSync, deflateSync, brotliCompressSync } = await import("node:zlib");
    const json = Buffer.from(JSON.stringify({ items: [{ itemId: "2b1f8c1e-0000-4000-8000-000000000000", quantity: 1 }] }));
    const cases: [string, Buffer, number[]][] = [
      ["gzip", gzipSync(json), [404, 415]],
      ["deflate", deflateSync(json), [404, 415]],
      ["br", brotliCompressSync(json), [404, 415]],
      ["gzip", json, [400, 415]],
      ["deflate", Buffer.from("not deflate at all"), [400, 415]],
      ["identity", json, [404]],
      ["x-unknown", json, [415]],
      ["gzip, gzip", gzipSync(gzipSync(json)), [400, 404, 415]],
      ["gzip", gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20)), [413]],
    ];
    for (const [encoding, body, ok] of cases) {
      const headers = { authorization: `Bearer ${fx.buyer.token}`, "content-type": "application/json", "content-encoding": encoding };
      await probe(s.url, { method: "POST", path: "/orders", headers, body: new Uint8Array(body) }, ok);
    }
  });
});
