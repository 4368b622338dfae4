import { expect } from "chai";
import { stack } from "./support/hooks";
import { call } from "./support/http";
import { makeBuyer } from "./support/stack";
import { waitFor } from "./support/wait";
import { findItem } from "@flashsale/db";

async function newItem(body: Record<string, unknown>) {
  const s = stack();
  const r = await call(s.url, "POST", "/items", { token: s.operator, body: { name: "Sneaker", price: 2500, currency: "USD", stock: 10, ...body } });
  expect(r.status, r.text).to.equal(201);
  return r.body as { id: string; remaining: number };
}

describe("a purchase", () => {
  it("when a funded buyer orders a live item, then 202 PENDING, and the worker completes it, charges once and takes the unit", async () => {
    const s = stack();
    const item = await newItem({ stock: 3, rewardRate: 0.1 });
    const buyer = await makeBuyer(s, { USD: 10_000 });
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: item.id, quantity: 1 }] } });
    expect(r.status, r.text).to.equal(202);
    expect(r.headers.get("location")).to.equal(`/orders/${r.body.id}`);
    expect(r.body).to.include({ userId: buyer.id, status: "PENDING", total: 2500, currency: "USD" });
    expect(r.body.items).to.deep.equal([{ itemId: item.id, quantity: 1, price: 2500 }]);

    const done = await waitFor("COMPLETED", async () => {
      const o = await call(s.url, "GET", `/orders/${r.body.id}`, { token: buyer.token });
      return o.body.status === "COMPLETED" && o.body;
    });
    expect(done).to.include({ rewardPoints: 250, total: 2500 });
    expect(done.startedAt).to.be.a("string");
    expect(done.completedAt).to.be.a("string");
    const bal = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token: buyer.token });
    expect(bal.body.balances).to.deep.equal([
      { currency: "PTS", amount: 250 },
      { currency: "USD", amount: 7500 },
    ]);
    const it = await call(s.url, "GET", `/items/${item.id}`);
    expect(it.body).to.include({ remaining: 2, stock: 3, state: "live" });
    const row = (await findItem(s.api.deps.db, item.id))!;
    expect(row.remaining).to.equal(2);
  });

  it("when the order is read right after its 202, then it is PENDING or further, never 404", async () => {
    const s = stack();
    const item = await newItem({ stock: 5 });
    const buyer = await makeBuyer(s);
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items: [{ itemId: item.id, quantity: 1 }] } });
    const o = await call(s.url, "GET", `/orders/${r.body.id}`, { token: buyer.token });
    expect(o.status).to.equal(200);
    expect(["PENDING", "PROCESSING", "COMPLETED"]).to.include(o.body.status);
    const st = await call(s.url, "GET", `/orders/${r.body.id}/status`, { token: buyer.token });
    expect(st.status).to.equal(200);
    expect(Object.keys(st.body)).to.deep.equal(["status"]);
  });

  it("when a buyer cannot pay, then the order is REJECTED INSUFFICIENT_FUNDS and the unit sells to the next buyer", async () => {
    const s = stack();
    const item = await newItem({ stock: 1 });
    const poor = await makeBuyer(s, { USD: 100 });
    const rich = await makeBuyer(s, { USD: 10_000 });
    const first = await call(s.url, "POST", "/orders", { token: poor.token, body: { items: [{ itemId: item.id, quantity: 1 }] } });
    expect(first.status).to.equal(202);
    const rejected = await waitFor("REJECTED", async () => {
      const o = await call(s.url, "GET", `/orders/${first.body.id}`, { token: poor.token });
      return o.body.status === "REJECTED" && o.body;
    });
    expect(rejected.reason).to.equal("INSUFFICIENT_FUNDS");
    await waitFor("the unit back in remaining", async () => (await call(s.url, "GET", `/items/${item.id}`)).body.remaining === 1);
    const second = await call(s.url, "POST", "/orders", { token: rich.token, body: { items: [{ itemId: item.id, quantity: 1 }] } });
    expect(second.status, second.text).to.equal(202);
    await waitFor("COMPLETED", async () => (await call(s.url, "GET", `/orders/${second.body.id}`, { token: rich.token })).body.status === "COMPLETED");
    const bal = await call(s.url, "GET", `/users/${poor.id}/balance`, { token: poor.token });
    expect(bal.body.balances).to.deep.equal([{ currency: "USD", amount: 100 }]);
  });
});
