import { expect } from "chai";
import type { Page } from "playwright-core";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeItem, order } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { waitFor } from "../support/wait";
import { orderRow, signIn, waitForText, browserSession } from "../support/dashboard-page";

/** Places one order and waits until it is settled (GET /orders lists settled orders). */
async function settledOrder(buyer: Buyer, itemId: string): Promise<string> {
  const r = await order(stack(), buyer.token, itemId);
  expect(r.status, r.text).to.equal(202);
  await waitFor(`order ${r.body.id} completed`, async () => (await call(stack().url, "GET", `/orders/${r.body.id}`, { token: buyer.token })).body.status === "COMPLETED");
  return r.body.id as string;
}

/** Ids of the orders the table shows. */
const shownOrders = (page: Page) => page.$$eval("#orders-body tr[data-order-id]", (rows) => rows.map((r) => (r as HTMLElement).dataset.orderId!));

async function filterByBuyer(page: Page, buyerId: string) {
  await page.locator("#order-filters input[name=userId]").fill(buyerId);
  await page.locator("#order-filters button[type=submit]").click();
}

describe("dashboard: orders table (browser)", function () {
  this.timeout(60_000);
  // The refund button asks for confirmation: every page accepts it.
  const ui = browserSession((page) => void page.on("dialog", (d) => void d.accept()));

  it("when the table is filtered by buyer, then it shows that buyer's orders only; a click on a buyer filters by it too", async () => {
    const item = await makeItem(stack(), { name: "Filtered mug", stock: 10, maxPerUser: 2 });
    const [a, b] = [await makeBuyer(stack()), await makeBuyer(stack())];
    const mine = [await settledOrder(a, item.id), await settledOrder(a, item.id)];
    const theirs = await settledOrder(b, item.id);
    await signIn(ui.page, stack(), ui.operator);

    await filterByBuyer(ui.page, a.id);
    await ui.page.waitForFunction((n) => document.querySelectorAll("#orders-body tr[data-order-id]").length === n, 2);
    expect((await shownOrders(ui.page)).sort()).to.deep.equal([...mine].sort());
    expect(await ui.page.locator(orderRow(mine[0]!)).textContent()).to.include("Filtered mug").and.include("COMPLETED");

    await ui.page.locator("#order-filters button[type=reset]").click();
    await ui.page.locator(orderRow(theirs)).waitFor();
    await ui.page.locator(`${orderRow(theirs)} button.link`).click();
    await ui.page.waitForFunction((id) => {
      const rows = [...document.querySelectorAll<HTMLElement>("#orders-body tr[data-order-id]")];
      return rows.length === 1 && rows[0]!.dataset.orderId === id;
    }, theirs);
    expect(await ui.page.locator("#order-filters input[name=userId]").inputValue()).to.equal(b.id);
    expect(ui.browser.problems).to.deep.equal([]);
  });

  it("when the status, item and date filters are set, then only matching orders show, and paging walks older and newer pages", async () => {
    const item = await makeItem(stack(), { name: "Paged pin", stock: 40, maxPerUser: 30 });
    const buyer = await makeBuyer(stack());
    const ids: string[] = [];
    for (let i = 0; i < 27; i++) ids.push(await settledOrder(buyer, item.id)); // one more page than 25
    await signIn(ui.page, stack(), ui.operator);

    await ui.page.locator("#order-filters select[name=status]").selectOption("COMPLETED");
    await ui.page.locator("#order-filters select[name=itemId]").selectOption(item.id);
    await ui.page.locator("#order-filters button[type=submit]").click();
    await ui.page.waitForFunction(() => document.querySelectorAll("#orders-body tr[data-order-id]").length === 25 && !document.querySelector("#next-page")!.hasAttribute("disabled"));
    const first = await shownOrders(ui.page);
    expect(first).to.deep.equal(ids.slice(2).reverse()); // newest first

    await ui.page.locator("#next-page").click();
    await waitForText(ui.page, "#page-label", /page 2/);
    await ui.page.waitForFunction(() => document.querySelectorAll("#orders-body tr[data-order-id]").length === 2);
    expect(await shownOrders(ui.page)).to.deep.equal(ids.slice(0, 2).reverse());
    expect(await ui.page.locator("#next-page").isDisabled()).to.equal(true);

    await ui.page.locator("#prev-page").click();
    await waitForText(ui.page, "#page-label", /page 1/);
    await ui.page.waitForFunction(() => document.querySelectorAll("#orders-body tr[data-order-id]").length === 25);
    expect(await shownOrders(ui.page)).to.deep.equal(first);

    // A date range after the orders were placed leaves nothing; one around them shows them again.
    const local = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await ui.page.locator("#order-filters input[name=from]").fill(local(new Date(Date.now() + 3_600_000)));
    await ui.page.locator("#order-filters button[type=submit]").click();
    await waitForText(ui.page, "#orders-body", /No orders match/);
    await ui.page.locator("#order-filters input[name=from]").fill(local(new Date(Date.now() - 3_600_000)));
    await ui.page.locator("#order-filters input[name=to]").fill(local(new Date(Date.now() + 3_600_000)));
    await ui.page.locator("#order-filters button[type=submit]").click();
    await ui.page.waitForFunction(() => document.querySelectorAll("#orders-body tr[data-order-id]").length === 25);
    expect(ui.browser.problems).to.deep.equal([]);
  });

  it("when an operator refunds a completed order, then the row turns REFUNDED and the unit is back on sale", async () => {
    const item = await makeItem(stack(), { name: "Refundable scarf", stock: 3 });
    const buyer = await makeBuyer(stack());
    const id = await settledOrder(buyer, item.id);
    await signIn(ui.page, stack(), ui.operator);
    await filterByBuyer(ui.page, buyer.id);
    const row = orderRow(id);
    await ui.page.locator(`${row} button.refund`).click();

    await ui.page.locator(`${row}[data-status="REFUNDED"]`).waitFor();
    expect(await ui.page.locator(`${row} button.refund`).count()).to.equal(0);
    const stored = await stack().api.deps.db.order.findUnique({ where: { id } });
    expect(stored?.status).to.equal("REFUNDED");
    const after = await call(stack().url, "GET", `/items/${item.id}`);
    expect(after.body.remaining).to.equal(3);
    expect(ui.browser.problems).to.deep.equal([]);
  });
});
