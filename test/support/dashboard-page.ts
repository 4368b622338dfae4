import { randomUUID } from "node:crypto";
import { expect } from "chai";
import type { Page } from "playwright-core";
import type { Stack } from "./stack";
import { chromiumAvailable, openBrowser, skippedWithoutChromium, type TestBrowser } from "./browser";
import { stack } from "./hooks";
import { call } from "./http";
import { waitFor } from "./wait";

export interface Credentials {
  email: string;
  password: string;
}

/** A user created through POST /users with the stack's operator token, as an operator would. */
export async function makeUser(s: Stack, role: "operator" | "buyer" = "operator", email = `${role}-${randomUUID()}@test.flashsale`): Promise<Credentials & { id: string }> {
  const creds = { email, password: `pw-${randomUUID()}` };
  const r = await call(s.url, "POST", "/users", { token: s.operator, body: { ...creds, role } });
  expect(r.status, r.text).to.equal(201);
  return { ...creds, id: r.body.id };
}

/** Opens /dashboard and fills in the sign-in form; does not wait for the outcome. */
export async function submitSignIn(page: Page, s: Stack, creds: Credentials): Promise<void> {
  await page.goto(`${s.url}/dashboard`);
  await page.locator("#login-form input[name=email]").fill(creds.email);
  await page.locator("#login-form input[name=password]").fill(creds.password);
  await page.locator("#login-form button[type=submit]").click();
}

/** Signs in through the form and waits until the board shows and its stream is live. */
export async function signIn(page: Page, s: Stack, creds: Credentials): Promise<void> {
  await submitSignIn(page, s, creds);
  await page.locator("#board").waitFor({ state: "visible" });
  await page.locator('#live[data-state="live"]').waitFor();
}

/** Waits until the element matching `selector` has text matching `pattern` (Playwright polls, with the page's deadline). */
export async function waitForText(page: Page, selector: string, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    ([sel, source, flags]) => new RegExp(source, flags).test(document.querySelector(sel)?.textContent ?? ""),
    [selector, pattern.source, pattern.flags] as const,
    { polling: 50 },
  );
}

/** The number shown by a counter (`c-completed`, …), or NaN while it shows a dash. */
export async function counter(page: Page, id: string): Promise<number> {
  const text = await page.locator(`#${id}`).textContent();
  return Number((text ?? "").replace(/[^0-9.]/g, "") || NaN);
}

/** Waits until a counter shows a value for which `check` holds. */
export async function waitForCounter(page: Page, id: string, check: (n: number) => boolean, what: string): Promise<number> {
  const seen = await waitFor(`counter ${id} to show ${what}`, async () => {
    const n = await counter(page, id);
    return check(n) && { n };
  });
  return seen.n;
}

/** Records in the page (window.highest[id]) the highest value a counter shows from now on: a rate is shown for one second only. */
export async function watchHighest(page: Page, id: string): Promise<void> {
  await page.evaluate((counterId) => {
    const w = window as unknown as { highest?: Record<string, number> };
    const highest = (w.highest ??= {});
    highest[counterId] = 0;
    const node = document.getElementById(counterId)!;
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    new MutationObserver(() => {
      highest[counterId] = Math.max(highest[counterId] ?? 0, Number(node.textContent?.replace(/[^0-9.]/g, "")) || 0);
    }).observe(node, { childList: true, characterData: true, subtree: true });
  }, id);
}

export const itemRow = (id: string) => `#items-body tr[data-item-id="${id}"]`;
export const orderRow = (id: string) => `#orders-body tr[data-order-id="${id}"]`;

export interface BrowserSession {
  browser: TestBrowser;
  operator: Credentials;
  /** A fresh page for each test, closed after it. */
  page: Page;
}

/**
 * The hooks every browser suite shares, registered in the calling `describe`: one browser and
 * one operator account for the suite, a new page per test (`onPage` may prepare it). Without
 * Chromium the suite is skipped and `npm test` says so (see test/support/browser.ts).
 */
export function browserSession(onPage?: (page: Page) => void): BrowserSession {
  const ui = {} as BrowserSession;
  before(async function () {
    if (!chromiumAvailable()) {
      // Not silent: test/run.ts prints these suites and how to get Chromium before its last line.
      const suite = this.test?.parent;
      skippedWithoutChromium.push({ suite: suite?.fullTitle() ?? "a browser suite", tests: suite?.total() ?? 0 });
      this.skip();
    }
    ui.browser = await openBrowser();
    ui.operator = await makeUser(stack(), "operator");
  });
  beforeEach(async () => {
    ui.page = await ui.browser.newPage();
    onPage?.(ui.page);
  });
  afterEach(async () => {
    await ui.page?.close();
  });
  after(async () => {
    await ui.browser?.close();
  });
  return ui;
}
