import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { makeBuyer } from "../support/stack";

/** A buyer whose ledger has `n` CREDIT rows of 1..n units. */
async function buyerWithLedger(n: number) {
  const s = stack();
  const buyer = await makeBuyer(s, {});
  for (let i = 1; i <= n; i++) {
    const r = await call(s.url, "POST", `/users/${buyer.id}/balance/credit`, { token: s.operator, body: { amount: i, currency: "USD" } });
    expect(r.status, r.text).to.equal(200);
  }
  return buyer;
}

describe("GET /users/:id/ledger", () => {
  it("when a buyer reads its ledger, then the rows are newest first, shaped as the contract says, and sum to the balance", async () => {
    const s = stack();
    const buyer = await buyerWithLedger(3);
    await call(s.url, "POST", `/users/${buyer.id}/balance/debit`, { token: s.operator, body: { amount: 2, currency: "USD" } });
    const r = await call(s.url, "GET", `/users/${buyer.id}/ledger`, { token: buyer.token });
    expect(r.status, r.text).to.equal(200);
    expect(r.body).to.have.keys("data", "nextCursor");
    expect(r.body.nextCursor).to.equal(null);
    const rows = await s.api.deps.db.ledgerEntry.findMany({ where: { userId: buyer.id }, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
    expect(r.body.data.map((e: { id: string }) => e.id)).to.deep.equal(rows.map((e) => e.id));
    expect(r.body.data.map((e: { delta: number }) => e.delta).sort()).to.deep.equal([-2, 1, 2, 3]);
    expect(r.body.data.find((e: { delta: number }) => e.delta === -2).reason).to.equal("DEBIT");
    for (const e of r.body.data) {
      expect(e).to.have.keys("id", "currency", "delta", "reason", "createdAt");
      expect(e.currency).to.equal("USD");
      expect(new Date(e.createdAt).toISOString()).to.equal(e.createdAt);
    }
    const bal = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token: buyer.token });
    expect(bal.body.balances).to.deep.equal([{ currency: "USD", amount: 4 }]);
  });

  it("when the ledger is walked with limit=2 and the cursors, then every row comes exactly once and the last page says null", async () => {
    const s = stack();
    const buyer = await buyerWithLedger(5);
    const all = await call(s.url, "GET", `/users/${buyer.id}/ledger?limit=200`, { token: buyer.token });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const q: string = cursor ? `?limit=2&cursor=${encodeURIComponent(cursor)}` : "?limit=2";
      const r = await call(s.url, "GET", `/users/${buyer.id}/ledger${q}`, { token: buyer.token });
      expect(r.status, r.text).to.equal(200);
      expect(r.body.data.length).to.be.at.most(2);
      seen.push(...r.body.data.map((e: { id: string }) => e.id));
      cursor = r.body.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(all.body.data).to.have.length(5);
    expect(seen).to.deep.equal(all.body.data.map((e: { id: string }) => e.id));
    expect(pages).to.equal(3);
  });

  it("when limit is left out, then at most 50 rows come back; with limit=200 the whole of a short ledger", async () => {
    const s = stack();
    const buyer = await buyerWithLedger(2);
    const def = await call(s.url, "GET", `/users/${buyer.id}/ledger`, { token: buyer.token });
    const max = await call(s.url, "GET", `/users/${buyer.id}/ledger?limit=200`, { token: buyer.token });
    expect(def.body.data.length).to.equal(2);
    expect(max.body).to.deep.equal(def.body);
  });

  it("when an operator reads a buyer's ledger, then 200; for a user who does not exist, 404 NOT_FOUND", async () => {
    const s = stack();
    const buyer = await buyerWithLedger(1);
    const r = await call(s.url, "GET", `/users/${buyer.id}/ledger`, { token: s.operator });
    expect(r.status, r.text).to.equal(200);
    expect(r.body.data).to.have.length(1);
    expectProblem(await call(s.url, "GET", `/users/${randomUUID()}/ledger`, { token: s.operator }), 404, "NOT_FOUND");
  });

  it("when a buyer reads another buyer's ledger, then 404 NOT_FOUND and no row of it", async () => {
    const s = stack();
    const [me, other] = [await makeBuyer(s), await buyerWithLedger(1)];
    const r = await call(s.url, "GET", `/users/${other.id}/ledger`, { token: me.token });
    expectProblem(r, 404, "NOT_FOUND");
    expect(r.text).not.to.include(other.id);
  });

  it("when a buyer pages with a cursor from another buyer's ledger, then it still sees only its own rows", async () => {
    const s = stack();
    const [me, other] = [await buyerWithLedger(3), await buyerWithLedger(3)];
    const theirs = await call(s.url, "GET", `/users/${other.id}/ledger?limit=1`, { token: other.token });
    const r = await call(s.url, "GET", `/users/${me.id}/ledger?limit=50&cursor=${theirs.body.nextCursor}`, { token: me.token });
    expect(r.status, r.text).to.equal(200);
    const mine = (await s.api.deps.db.ledgerEntry.findMany({ where: { userId: me.id } })).map((e) => e.id);
    for (const e of r.body.data) expect(mine).to.include(e.id);
  });
});
