import { expect } from "chai";
import { stack } from "../support/hooks";
import { makeItem } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { booksOf, fuzzTally } from "./refusal-checks";

export interface FuzzFixture {
  item: { id: string };
  buyer: Buyer;
}

/**
 * The hooks every fuzz suite shares, registered in the calling `describe`: a sale item and a
 * funded buyer made before it, their books checked unchanged after every test (nothing
 * reserved, charged or restocked), and the inputs tried and 5xx seen printed at the end.
 */
export function fuzzFixture(label: string): FuzzFixture {
  const fx = {} as FuzzFixture;
  let books: Awaited<ReturnType<typeof booksOf>>;
  let start = { ...fuzzTally() };

  before(async () => {
    start = { ...fuzzTally() };
    const s = stack();
    fx.item = await makeItem(s, { stock: 5, maxPerUser: 5 });
    fx.buyer = await makeBuyer(s, { USD: 50_000 });
    books = await booksOf(s, fx.item.id, fx.buyer.id);
  });

  afterEach(async () => {
    expect(await booksOf(stack(), fx.item.id, fx.buyer.id), "nothing reserved, charged or restocked").to.deep.equal(books);
  });

  after(() => {
    const t = fuzzTally();
    console.log(`      fuzz (${label}): ${t.inputs - start.inputs} inputs, ${t.serverErrors - start.serverErrors} 5xx (all fuzz so far: ${t.inputs} inputs, ${t.serverErrors} 5xx)`);
  });
  return fx;
}
