import { expect } from "chai";
import { stack } from "../support/hooks";
import { call } from "../support/http";
import { makeItem, order } from "../support/fixtures";
import { makeBuyer } from "../support/stack";
import { counter, itemRow, watchHighest, makeUser, signIn, submitSignIn, waitForCounter, waitForText, browserSession } from "../support/dashboard-page";

describe("dashboard: sign-in, items and live counters (browser)", function () {
  this.timeout(60_000);
  const ui = browserSession();

  it("when the page is opened, then it is public and allows only same-origin scripts and styles, none inline", async () => {
    const r = await call(stack().url, "GET", "/dashboard");
    expect(r.status).to.equal(200);
    expect(r.headers.get("content-type")).to.match(/^text\/html/);
    const csp = r.headers.get("content-security-policy") ?? "";
    expect(csp).to.include("script-src 'self'").and.include("style-src 'self'").and.include("default-src 'self'");
    expect(csp).not.to.include("unsafe-inline");
    expect(r.text).not.to.match(/<script(?![^>]*\bsrc=)[^>]*>/i).and.not.to.match(/<style|\sstyle=/i);
  });

  it("when the events stream is asked for without a token or with a buyer's, then 401 and 403", async () => {
    const buyer = await makeBuyer(stack());
    expect((await call(stack().url, "GET", "/dashboard/events")).status).to.equal(401);
    expect((await call(stack().url, "GET", "/dashboard/events", { token: buyer.token })).status).to.equal(403);
  });

  it("when a buyer signs in, then the page refuses; when an operator signs in, then the board shows with its stream live", async () => {
    const buyer = await makeUser(stack(), "buyer");
    await submitSignIn(ui.page, stack(), buyer);
    await waitForText(ui.page, "#sign-in-error", /not an operator/);
    expect(await ui.page.locator("#board").isVisible()).to.equal(false);

    await signIn(ui.page, stack(), ui.operator);
    expect(await ui.page.locator("#sign-in").isVisible()).to.equal(false);
    expect(await ui.page.locator("#whoami").textContent()).to.equal(ui.operator.email);
    const stored = await ui.page.evaluate(() => sessionStorage.getItem("flashsale.operatorToken"));
    expect(stored).to.be.a("string").and.match(/^ey/);
    await ui.page.reload();
    await ui.page.locator('#live[data-state="live"]').waitFor(); // the session survives a reload of the tab
    expect(ui.browser.problems).to.deep.equal([]);
  });

  it("when an operator creates an item through the form, then the API has it and the table shows it live", async () => {
    await signIn(ui.page, stack(), ui.operator);
    const name = `Form-made lamp ${Date.now()}`;
    const form = ui.page.locator("#item-form");
    await form.locator("input[name=name]").fill(name);
    await form.locator("input[name=price]").fill("1999");
    await form.locator("input[name=stock]").fill("7");
    await form.locator("input[name=maxPerUser]").fill("2");
    await form.locator("button[type=submit]").click();
    await waitForText(ui.page, "#item-form .note", /Created/);

    const items = await call(stack().url, "GET", "/items?limit=200");
    const made = (items.body.data as { id: string; name: string; stock: number; maxPerUser: number; price: number }[]).find((i) => i.name === name);
    expect(made, "the item exists through the API").to.include({ stock: 7, maxPerUser: 2, price: 1999 });
    const row = itemRow(made!.id);
    await waitForText(ui.page, `${row} .state-live`, /live/);
    expect(await ui.page.locator(`${row} .remaining`).textContent()).to.equal("7");
    expect(await ui.page.locator(row).textContent()).to.include("$19.99");

    await ui.page.locator("#restock-form select[name=itemId]").selectOption(made!.id);
    await ui.page.locator("#restock-form input[name=quantity]").fill("5");
    await ui.page.locator("#restock-form button[type=submit]").click();
    await waitForText(ui.page, `${row} .stock`, /^12$/);
    await waitForText(ui.page, `${row} .remaining`, /^12$/);
    expect(ui.browser.problems).to.deep.equal([]);
  });

  it("when buyers place orders through the API, then the item's remaining drops and the counters move", async () => {
    const item = await makeItem(stack(), { name: "Counted hoodie", stock: 10 });
    await signIn(ui.page, stack(), ui.operator);
    const row = itemRow(item.id);
    await waitForText(ui.page, `${row} .remaining`, /^10$/);
    const completedBefore = await waitForCounter(ui.page, "c-completed", (n) => Number.isFinite(n), "a number");

    await watchHighest(ui.page, "c-rate");
    const buyers = await Promise.all([1, 2, 3].map(() => makeBuyer(stack())));
    for (const b of buyers) expect((await order(stack(), b.token, item.id)).status).to.equal(202);

    await waitForText(ui.page, `${row} .remaining`, /^7$/);
    await waitForText(ui.page, `${row} .bar + span`, /^30%$/);
    await waitForCounter(ui.page, "c-completed", (n) => n >= completedBefore + 3, `at least ${completedBefore + 3}`);
    await ui.page.waitForFunction(() => (window as unknown as { highest: Record<string, number> }).highest["c-rate"]! > 0);
    expect(await counter(ui.page, "c-queue")).to.be.at.least(0);
    expect(ui.browser.problems).to.deep.equal([]);
  });
});
