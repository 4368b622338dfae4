import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeBuyer } from "../support/stack";
import { makeItem, moneyOf } from "../support/fixtures";
import { waitFor } from "../support/wait";

describe("reward points", () => {
  it("when each line of an order earns a fraction of a point, then each line rounds down on its own, in PTS, with one REWARD ledger row", async () => {
    const s = stack();
    // 15 × 0.1 = 1.5 points per line: 1 + 1 = 2 per line, where rounding the order would give 3.
    const a = await makeItem(s, { price: 15, rewardRate: 0.1 });
    const b = await makeItem(s, { price: 15, rewardRate: 0.1 });
    const none = await makeItem(s, { price: 40, rewardRate: 0 });
    const buyer = await makeBuyer(s, { USD: 1000 });
    const items = [a, b, none].map((i) => ({ itemId: i.id, quantity: 1 }));
    const r = await call(s.url, "POST", "/orders", { token: buyer.token, body: { items } });
    expect(r.status, r.text).to.equal(202);
    expect(r.body.rewardPoints).to.equal(0);
    const done = await waitFor("COMPLETED", async () => {
      const o = await call(s.url, "GET", `/orders/${r.body.id}`, { token: buyer.token });
      return o.body.status === "COMPLETED" && o.body;
    });
    expect(done).to.include({ total: 70, rewardPoints: 2 });
    const m = await moneyOf(s, buyer.id);
    expect(m.ledger.filter((l) => l.reason === "REWARD").map((l) => [l.currency, Number(l.delta), l.orderId])).to.deep.equal([["PTS", 2, done.id]]);
    expect([m.wallet("PTS"), m.ledgerSum("PTS"), m.wallet("USD")]).to.deep.equal([2, 2, 930]);
    const bal = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token: buyer.token });
    expect(bal.body.balances).to.deep.include({ currency: "PTS", amount: 2 });
  });
});
