import { expect } from "chai";
import { AppError, isAppError, isTerminal, itemState, linePoints, orderTotal, rateToPpm, rewardPoints } from "@flashsale/domain";

// The pure rules of packages/domain, without any service.
describe("domain rules", () => {
  it("when lines are totalled, then the sum of price × quantity is exact in minor units", () => {
    expect(orderTotal([{ price: 1999, quantity: 3 }, { price: 1, quantity: 1 }])).to.equal(5998);
    expect(orderTotal([])).to.equal(0);
  });

  it("when a total would pass the largest safe integer, then it is refused VALIDATION_FAILED, never rounded", () => {
    expect(() => orderTotal([{ price: Number.MAX_SAFE_INTEGER, quantity: 2 }])).to.throw(AppError).with.property("code", "VALIDATION_FAILED");
  });

  it("when points are earned, then each line is rounded down on its own, in integer arithmetic", () => {
    // 100 × 0.29 is 28.999… in floating point; in parts per million it is exactly 29.
    expect(linePoints({ price: 100, quantity: 1, rewardPpm: rateToPpm(0.29) })).to.equal(29);
    expect(linePoints({ price: 999, quantity: 1, rewardPpm: rateToPpm(0.1) })).to.equal(99);
    expect(rewardPoints([
      { price: 999, quantity: 1, rewardPpm: 100_000 },
      { price: 999, quantity: 1, rewardPpm: 100_000 },
    ])).to.equal(198); // not floor(199.8) = 199
    expect(linePoints({ price: 5000, quantity: 2 })).to.equal(0);
  });

  it("when an item's state is asked, then the window wins over the stock: ended, scheduled, sold_out, live", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    const before = new Date("2026-01-01T11:00:00Z");
    const after = new Date("2026-01-01T13:00:00Z");
    expect(itemState({ startsAt: before, endsAt: before, remaining: 5 }, now)).to.equal("ended");
    expect(itemState({ startsAt: before, endsAt: now, remaining: 5 }, now)).to.equal("ended");
    expect(itemState({ startsAt: after, endsAt: null, remaining: 0 }, now)).to.equal("scheduled");
    expect(itemState({ startsAt: before, endsAt: after, remaining: 0 }, now)).to.equal("sold_out");
    expect(itemState({ startsAt: now, endsAt: null, remaining: 1 }, now)).to.equal("live");
  });

  it("when statuses are classified, then only COMPLETED, REJECTED, FAILED and REFUNDED are terminal", () => {
    expect(["PENDING", "PROCESSING", "COMPLETED", "REJECTED", "FAILED", "REFUNDED"].map((s) => isTerminal(s as never))).to.deep.equal([false, false, true, true, true, true]);
  });

  it("when an error crossed a process boundary as a plain object, then its contract code still marks it a refusal", () => {
    expect(isAppError({ code: "SOLD_OUT", message: "x" })).to.equal(true);
    expect(isAppError({ code: "ECONNREFUSED" })).to.equal(false);
    expect(isAppError(new Error("boom"))).to.equal(false);
  });
});
