import { expect } from "chai";
import { stack } from "../support/hooks";
import { probe } from "./refusal-checks";
import { fuzzFixture } from "./fuzz-fixture";
import { fill, routesOf, takesBody } from "./route-table";

const MB = 1024 * 1024;
const deepArray = (n: number) => "[".repeat(n) + "]".repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + "1" + "}".repeat(n);

/** A body sent in chunks with no Content-Length, so only the reader's own limit can stop it. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(ctrl) {
      if (sent >= bytes) return ctrl.close();
      const n = Math.min(64 * 1024, bytes - sent);
      ctrl.enqueue(new Uint8Array(Buffer.alloc(n, sent === 0 ? "[" : " ")));
      sent += n;
    },
  });
}

describe("hostile sizes and depths", function () {
  this.timeout(120_000);
  const fx = fuzzFixture("sizes");
  const tokenFor = (path: string) => (path === "/orders" ? fx.buyer.token : stack().operator);

  it("when any endpoint gets 10,000- and 100,000-deep arrays and objects, wide arrays or long strings, then it answers a well-formed 4xx", async () => {
    const s = stack();
    const bodies = [
      deepArray(10_000),
      deepObject(10_000),
      deepArray(100_000),
      deepObject(100_000),
      `{"items":${deepArray(10_000)}}`,
      `{"items":[{"itemId":${deepObject(10_000)},"quantity":1}]}`,
      JSON.stringify({ items: Array.from({ length: 10_000 }, () => ({ itemId: fx.item.id, quantity: 1 })) }),
      JSON.stringify({ name: "n".repeat(900_000), email: "e".repeat(900_000) }),
      JSON.stringify(Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`k${i}`, i]))),
    ];
    for (const route of routesOf(s).filter(takesBody)) {
      const path = fill(route.path, route.path.startsWith("/users") ? fx.buyer.id : fx.item.id);
      for (const body of bodies) {
        const headers = { authorization: `Bearer ${tokenFor(path)}`, "content-type": "application/json" };
        const a = await probe(s.url, { method: route.method, path, headers, body });
        expect(a.status, `${path} with ${body.slice(0, 30)}`).to.be.within(400, 499);
      }
    }
  });

  it("when a body is over 1 MB, by Content-Length or chunked without one, then it is 413 PAYLOAD_TOO_LARGE; exactly 1 MB is read", async () => {
    const s = stack();
    for (const route of routesOf(s).filter(takesBody)) {
      const path = fill(route.path, route.path.startsWith("/users") ? fx.buyer.id : fx.item.id);
      const headers = { authorization: `Bearer ${tokenFor(path)}`, "content-type": "application/json" };
      const exact = `"${"x".repeat(MB - 2)}"`;
      await probe(s.url, { method: route.method, path, headers, body: exact }, [400]);
      const over = await probe(s.url, { method: route.method, path, headers, body: exact + " " }, [413]);
      expect(over.body.code).to.equal("PAYLOAD_TOO_LARGE");
      const streamed = await probe(s.url, { method: route.method, path, headers, body: chunked(3 * MB), duplex: "half" }, [413]);
      expect(streamed.body.code).to.equal("PAYLOAD_TOO_LARGE");
    }
  });

  it("when a huge body comes without a token or with the wrong role, then authentication and permission answer first (401, 403)", async () => {
    const s = stack();
    const huge = `"${"x".repeat(2 * MB)}"`;
    for (const route of routesOf(s).filter((r) => takesBody(r) && r.path !== "/auth/token")) {
      const path = fill(route.path, fx.item.id);
      const headers = { "content-type": "application/json" };
      await probe(s.url, { method: route.method, path, headers, body: huge }, [401]);
      const wrongRole = path === "/orders" ? s.operator : fx.buyer.token;
      await probe(s.url, { method: route.method, path, headers: { ...headers, authorization: `Bearer ${wrongRole}` }, body: huge }, [403]);
    }
  });
});
