import { randomUUID } from "node:crypto";
import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { expectProblem } from "../support/problems";
import { moneyOf } from "../support/fixtures";
import { makeBuyer } from "../support/stack";

const adjust = (direction: "credit" | "debit", userId: string, body: unknown, headers: Record<string, string> = {}, token = stack().operator) =>
  call(stack().url, "POST", `/users/${userId}/balance/${direction}`, { token, body, headers });

describe("credit and debit", () => {
  it("when an operator credits then debits, then each answers the new balance and the ledger sums to it", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 1000 });
    const c = await adjust("credit", buyer.id, { amount: 250, currency: "USD" });
    expect(c.status, c.text).to.equal(200);
    expect(c.body).to.deep.equal({ userId: buyer.id, currency: "USD", amount: 1250 });
    const d = await adjust("debit", buyer.id, { amount: 1250, currency: "USD" });
    expect(d.body).to.deep.equal({ userId: buyer.id, currency: "USD", amount: 0 });
    const money = await moneyOf(s, buyer.id);
    expect(money.wallet("USD")).to.equal(0);
    expect(money.ledgerSum("USD")).to.equal(0);
    expect(money.ledger.map((l) => l.reason).sort()).to.deep.equal(["CREDIT", "CREDIT", "DEBIT"]);
  });

  it("when a wallet in a new currency is credited, then it appears beside the others", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 1 });
    expect((await adjust("credit", buyer.id, { amount: 500, currency: "JPY" })).body.amount).to.equal(500);
    const bal = await call(s.url, "GET", `/users/${buyer.id}/balance`, { token: buyer.token });
    expect(bal.body.balances).to.deep.equal([{ currency: "JPY", amount: 500 }, { currency: "USD", amount: 1 }]);
  });

  const tooMuch: [string, Record<string, number>, unknown][] = [
    ["more than the balance", { USD: 100 }, { amount: 101, currency: "USD" }],
    ["a currency the buyer has no wallet in", { USD: 100 }, { amount: 1, currency: "EUR" }],
    ["an empty wallet", {}, { amount: 1, currency: "USD" }],
  ];
  for (const [what, funds, body] of tooMuch) {
    it(`when a debit takes ${what}, then 409 INSUFFICIENT_FUNDS and the wallet and ledger are unchanged`, async () => {
      const s = stack();
      const buyer = await makeBuyer(s, funds);
      const before = await s.api.deps.db.ledgerEntry.count({ where: { userId: buyer.id } });
      expectProblem(await adjust("debit", buyer.id, body), 409, "INSUFFICIENT_FUNDS");
      const money = await moneyOf(s, buyer.id);
      expect(money.wallet("USD")).to.equal(funds.USD ?? 0);
      expect(money.ledger.length).to.equal(before);
    });
  }

  for (const direction of ["credit", "debit"] as const) {
    it(`when an operator ${direction}s a user who does not exist, then 404 NOT_FOUND and no wallet is made`, async () => {
      const s = stack();
      const id = randomUUID();
      expectProblem(await adjust(direction, id, { amount: 1, currency: "USD" }), 404, "NOT_FOUND");
      expect(await s.api.deps.db.wallet.count({ where: { userId: id } })).to.equal(0);
    });

    it(`when a buyer ${direction}s, even its own wallet, then 403 FORBIDDEN and nothing moves`, async () => {
      const s = stack();
      const buyer = await makeBuyer(s, { USD: 100 });
      expectProblem(await adjust(direction, buyer.id, { amount: 50, currency: "USD" }, {}, buyer.token), 403, "FORBIDDEN");
      expect((await moneyOf(s, buyer.id)).wallet("USD")).to.equal(100);
    });

    it(`when a ${direction} is repeated with the same Idempotency-Key and body, then the first answer comes back and it moves once`, async () => {
      const s = stack();
      const buyer = await makeBuyer(s, { USD: 1000 });
      const key = { "idempotency-key": `adj-${randomUUID()}` };
      const first = await adjust(direction, buyer.id, { amount: 100, currency: "USD" }, key);
      const again = await adjust(direction, buyer.id, { currency: "USD", amount: 100 }, key);
      expect(first.status, first.text).to.equal(200);
      expect(again.status).to.equal(200);
      expect(again.body).to.deep.equal(first.body);
      const money = await moneyOf(s, buyer.id);
      expect(money.wallet("USD")).to.equal(direction === "credit" ? 1100 : 900);
      expect(money.ledger.length).to.equal(2);
    });

    it(`when a ${direction}'s Idempotency-Key comes back with another body, then 422 IDEMPOTENCY_KEY_REUSED and it moves once`, async () => {
      const s = stack();
      const buyer = await makeBuyer(s, { USD: 1000 });
      const key = { "idempotency-key": `adj-${randomUUID()}` };
      expect((await adjust(direction, buyer.id, { amount: 100, currency: "USD" }, key)).status).to.equal(200);
      expectProblem(await adjust(direction, buyer.id, { amount: 200, currency: "USD" }, key), 422, "IDEMPOTENCY_KEY_REUSED");
      expectProblem(await adjust(direction, buyer.id, { amount: 100, currency: "JPY" }, key), 422, "IDEMPOTENCY_KEY_REUSED");
      expect((await moneyOf(s, buyer.id)).wallet("USD")).to.equal(direction === "credit" ? 1100 : 900);
    });
  }

  it("when one Idempotency-Key is used for a credit and then a debit, then the debit is 422 IDEMPOTENCY_KEY_REUSED", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 1000 });
    const key = { "idempotency-key": `adj-${randomUUID()}` };
    expect((await adjust("credit", buyer.id, { amount: 5, currency: "USD" }, key)).status).to.equal(200);
    expectProblem(await adjust("debit", buyer.id, { amount: 5, currency: "USD" }, key), 422, "IDEMPOTENCY_KEY_REUSED");
    expect((await moneyOf(s, buyer.id)).wallet("USD")).to.equal(1005);
  });

  it("when a refused debit is retried with its key after a credit, then it goes through (a refusal does not burn the key)", async () => {
    const s = stack();
    const buyer = await makeBuyer(s, { USD: 10 });
    const key = { "idempotency-key": `adj-${randomUUID()}` };
    expectProblem(await adjust("debit", buyer.id, { amount: 50, currency: "USD" }, key), 409, "INSUFFICIENT_FUNDS");
    await adjust("credit", buyer.id, { amount: 100, currency: "USD" });
    const retry = await adjust("debit", buyer.id, { amount: 50, currency: "USD" }, key);
    expect(retry.status, retry.text).to.equal(200);
    expect(retry.body.amount).to.equal(60);
  });
});
