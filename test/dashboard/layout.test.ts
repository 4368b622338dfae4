import { writeFile, mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import type { Page } from "playwright-core";
import { stack } from "../support/hooks";
import { makeItem, order } from "../support/fixtures";
import { makeBuyer, type Buyer } from "../support/stack";
import { counter, itemRow, makeUser, signIn, waitForText, browserSession } from "../support/dashboard-page";
import { waitFor } from "../support/wait";

// Written only with UPDATE_SCREENSHOT=1, so that a test run leaves the tree clean.
const SCREENSHOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/dashboard.png");
const PHONE_SCREENSHOT = SCREENSHOT.replace(/\.png$/, "-phone.png");

/** Elements whose box reaches past the right edge of the viewport (what makes a phone scroll sideways). */
function overflowing(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const node of document.querySelectorAll("body *")) {
      const box = node.getBoundingClientRect();
      if (box.width > 0 && box.right > width + 0.5) out.push(`${node.tagName.toLowerCase()}.${node.className} right=${Math.round(box.right)}`);
    }
    return { width, scrollWidth: document.documentElement.scrollWidth, out };
  });
}

describe("dashboard: layout (browser)", function () {
  this.timeout(90_000);
  const ui = browserSession();

  it("when the board is opened on a phone-sized screen, then nothing overflows sideways", async () => {
    const item = await makeItem(stack(), { name: "Collector's edition console bundle, limited run of four", stock: 4 });
    const buyer = await makeBuyer(stack());
    expect((await order(stack(), buyer.token, item.id)).status).to.equal(202);
    await ui.page.setViewportSize({ width: 375, height: 812 });
    await signIn(ui.page, stack(), ui.operator);
    await waitForText(ui.page, `${itemRow(item.id)} .remaining`, /^3$/);
    const seen = await overflowing(ui.page);
    expect(seen.out, "elements past the right edge").to.deep.equal([]);
    expect(seen.scrollWidth).to.be.at.most(seen.width);
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(path.dirname(PHONE_SCREENSHOT), { recursive: true });
      await writeFile(PHONE_SCREENSHOT, await ui.page.screenshot({ fullPage: true }));
    }
    expect(ui.browser.problems).to.deep.equal([]);
  });

  it("when a sale runs for some seconds, then the chart and counters fill and the page renders as a screenshot", async () => {
    const s = stack();
    const items = [
      await makeItem(s, { name: "Concert ticket · front row", price: 12_000, stock: 60, maxPerUser: 4 }),
      await makeItem(s, { name: "Vinyl box set", price: 8_900, stock: 40, maxPerUser: 4 }),
      await makeItem(s, { name: "Limited sneaker · neon", price: 2_500, stock: 120, maxPerUser: 4 }),
    ];
    const buyers: Buyer[] = await Promise.all(Array.from({ length: 24 }, () => makeBuyer(s, { USD: 10_000_000 })));
    const broke: Buyer[] = await Promise.all(Array.from({ length: 6 }, () => makeBuyer(s, { USD: 0 })));
    await ui.page.setViewportSize({ width: 1440, height: 1500 }); // down to the first orders
    await signIn(ui.page, s, await makeUser(s, "operator", "ops@flashsale.example"));
    const settled = async () => (await counter(ui.page, "c-completed")) + (await counter(ui.page, "c-rejected"));
    const before = await waitFor("the first counters", async () => {
      const n = await settled();
      return Number.isFinite(n) && { n };
    });

    // Waves of orders, each awaited until the page's counters show it settled, so that the
    // chart gets about one point per wave. Buyers without money end REJECTED.
    const waves = [2, 4, 7, 11, 16, 20, 18, 15, 12, 9, 7, 5, 4, 3, 2];
    let accepted = 0;
    for (const [w, size] of waves.entries()) {
      const placed = await Promise.all(
        Array.from({ length: size }, (_, k) => {
          const item = items[(w + k) % items.length]!;
          const buyer = k === 0 && w % 3 === 1 ? broke[w % broke.length]! : buyers[(w * 7 + k) % buyers.length]!;
          return order(s, buyer.token, item.id);
        }),
      );
      accepted += placed.filter((r) => r.status === 202).length;
      await waitFor(`wave ${w} settled on the page`, async () => (await settled()) >= before.n + accepted);
    }
    await ui.page.locator("#order-filters button[type=submit]").click();
    await ui.page.waitForFunction(() => document.querySelectorAll("#chart").length === 1 && !document.querySelector("#orders-body.loading"));

    await ui.page.evaluate(() => window.scrollTo(0, 0));
    const png = await ui.page.screenshot({ fullPage: false });
    expect(png.subarray(1, 4).toString()).to.equal("PNG");
    if (process.env.UPDATE_SCREENSHOT) {
      await mkdir(path.dirname(SCREENSHOT), { recursive: true });
      await writeFile(SCREENSHOT, png);
    }
    expect(ui.browser.problems).to.deep.equal([]);
  });
});
