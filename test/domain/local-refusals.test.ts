import { expect } from "chai";
import { AppError } from "@flashsale/domain";
import { LocalRefusals, LOCAL_REFUSAL_MS } from "../../apps/api/orders/local-refusals";

const line = (itemId: string, quantity = 1) => [{ itemId, quantity }];
const refusedWith = (f: () => AppError | undefined) => f()?.code ?? null;

describe("LocalRefusals (an API process's memory of unsellable items)", () => {
  it("when the gate said SOLD_OUT, then the process repeats it for 100 ms of its clock and then asks the gate again", () => {
    let now = 1_000;
    const m = new LocalRefusals(() => now);
    m.heard(line("a"), new AppError("SOLD_OUT", "not enough units left"));
    expect(refusedWith(() => m.known(line("a"), undefined))).to.equal("SOLD_OUT");
    now += LOCAL_REFUSAL_MS - 1;
    expect(refusedWith(() => m.known(line("a"), undefined))).to.equal("SOLD_OUT");
    now += 1;
    expect(refusedWith(() => m.known(line("a"), undefined))).to.equal(null);
    expect(LOCAL_REFUSAL_MS).to.be.at.most(100);
  });

  it("when SOLD_OUT was for 3 units, then an order of 2 still goes to the gate, and SALE_ENDED is repeated whatever the quantity", () => {
    const m = new LocalRefusals(() => 0);
    m.heard(line("a", 3), new AppError("SOLD_OUT", "x"));
    expect(refusedWith(() => m.known(line("a", 2), undefined))).to.equal(null);
    expect(refusedWith(() => m.known(line("a", 3), undefined))).to.equal("SOLD_OUT");
    m.heard(line("b", 5), new AppError("SALE_ENDED", "x"));
    expect(refusedWith(() => m.known(line("b", 1), undefined))).to.equal("SALE_ENDED");
  });

  it("when an order has several lines or an Idempotency-Key, or the refusal was another code, then the memory stays out of it", () => {
    const m = new LocalRefusals(() => 0);
    m.heard(line("a"), new AppError("SOLD_OUT", "x"));
    m.heard(line("c"), new AppError("LIMIT_EXCEEDED", "x"));
    m.heard([{ itemId: "d", quantity: 1 }, { itemId: "e", quantity: 1 }], new AppError("SOLD_OUT", "x"));
    expect(refusedWith(() => m.known(line("a"), "key-1"))).to.equal(null);
    expect(refusedWith(() => m.known([{ itemId: "a", quantity: 1 }, { itemId: "b", quantity: 1 }], undefined))).to.equal(null);
    expect(refusedWith(() => m.known(line("c"), undefined))).to.equal(null);
    expect(refusedWith(() => m.known(line("d"), undefined))).to.equal(null);
  });
});

describe("LocalRefusals.forgetAll", () => {
  it("when units came back somewhere, then every remembered refusal is forgotten at once", () => {
    const m = new LocalRefusals(() => 0);
    m.heard(line("a"), new AppError("SOLD_OUT", "x"));
    m.heard(line("b"), new AppError("SALE_ENDED", "x"));
    m.forgetAll();
    expect(refusedWith(() => m.known(line("a"), undefined))).to.equal(null);
    expect(refusedWith(() => m.known(line("b"), undefined))).to.equal(null);
  });
});
