import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeItem, order } from "../support/fixtures";
import { makeBuyer } from "../support/stack";
import { call } from "../support/http";
import { spec } from "../support/openapi";
import { waitFor } from "../support/wait";

type Send = { path: string; token: string; body: () => Record<string, unknown>; other: () => Record<string, unknown> };

/** POST operations whose parameters include the Idempotency-Key header. */
function documentedIdempotent(): string[] {
  return Object.entries<Record<string, any>>(spec.paths)
    .filter(([, item]) => (item.post?.parameters ?? []).some((p: { $ref?: string }) => p.$ref === "#/components/parameters/IdempotencyKey"))
    .map(([path]) => path);
}

describe("OpenAPI document: Idempotency-Key where it says so", () => {
  it("when the document's POST operations are read, then every one that creates or moves something takes an Idempotency-Key (all but the login)", () => {
    const posts = Object.keys(spec.paths).filter((p) => spec.paths[p].post);
    expect(posts.filter((p) => p !== "/auth/token").sort()).to.deep.equal(documentedIdempotent().sort());
  });

  it("when a POST the document gives an Idempotency-Key is repeated with the key, then the first answer comes back; with another body, 422", async function () {
    this.timeout(60_000);
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 100_000 });
    const item = await makeItem(s, { price: 100, stock: 20, maxPerUser: 20 });
    const placed = await order(s, buyer.token, item.id);
    await waitFor("a completed order", async () => (await call(s.url, "GET", `/orders/${placed.body.id}`, { token: s.operator })).body.status === "COMPLETED");
    const email = `idem-${randomUUID()}@example.com`;
    const sends: Record<string, Send> = {
      "/users": { path: "/users", token: s.operator, body: () => ({ email }), other: () => ({ email: `x${email}` }) },
      "/items": { path: "/items", token: s.operator, body: () => ({ name: "Idem", price: 1, currency: "USD", stock: 1 }), other: () => ({ name: "Idem", price: 2, currency: "USD", stock: 1 }) },
      "/items/{id}/restock": { path: `/items/${item.id}/restock`, token: s.operator, body: () => ({ quantity: 1 }), other: () => ({ quantity: 2 }) },
      "/orders": { path: "/orders", token: buyer.token, body: () => ({ items: [{ itemId: item.id, quantity: 1 }] }), other: () => ({ items: [{ itemId: item.id, quantity: 2 }] }) },
      "/users/{id}/balance/credit": { path: `/users/${buyer.id}/balance/credit`, token: s.operator, body: () => ({ amount: 5, currency: "USD" }), other: () => ({ amount: 6, currency: "USD" }) },
      "/users/{id}/balance/debit": { path: `/users/${buyer.id}/balance/debit`, token: s.operator, body: () => ({ amount: 5, currency: "USD" }), other: () => ({ amount: 6, currency: "USD" }) },
      "/orders/{id}/refund": { path: `/orders/${placed.body.id}/refund`, token: s.operator, body: () => ({}), other: () => ({}) },
    };
    const paths = documentedIdempotent();
    expect(paths.length).to.be.greaterThan(3);
    for (const path of paths) {
      const send = sends[path];
      expect(send, `a request for ${path} in this test`).to.not.equal(undefined);
      const headers = { "idempotency-key": randomUUID() };
      const first = await call(s.url, "POST", send!.path, { token: send!.token, body: send!.body(), headers });
      expect(first.status, `${path}: ${first.text}`).to.be.within(200, 299);
      const again = await call(s.url, "POST", send!.path, { token: send!.token, body: send!.body(), headers });
      expect([again.status, again.body], `${path} repeated`).to.deep.equal([first.status, first.body]);
      if (path === "/orders/{id}/refund") continue; // a refund has no body to differ: always the whole order
      const reused = await call(s.url, "POST", send!.path, { token: send!.token, body: send!.other(), headers });
      expect(reused.status, `${path} with another body: ${reused.text}`).to.equal(422);
      expect(reused.body.code).to.equal("IDEMPOTENCY_KEY_REUSED");
    }
  });
});
