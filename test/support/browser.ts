import { accessSync, constants } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium (CI installs it with apt-get); playwright-core downloads no browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** How to get the browser, told by `npm test` when it is missing. */
export const CHROMIUM_HINT = `install Chromium (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium/Chrome binary`;

/**
 * The browser suites skipped because Chromium is missing, with their test counts (test/run.ts
 * prints them). Kept on globalThis: Mocha's test files and test/run.ts may load this module apart.
 */
const registry = globalThis as { __flashsaleSkippedWithoutChromium?: { suite: string; tests: number }[] };
export const skippedWithoutChromium = (registry.__flashsaleSkippedWithoutChromium ??= []);

/** Whether the Chromium binary exists and is executable. */
export function chromiumAvailable(): boolean {
  try {
    accessSync(CHROMIUM, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export const chromiumPath = CHROMIUM;

// Without the background-networking flags Chromium's own connections are refused on these
// machines (no internet) and it stalls; QUIC, sync and updates would reach out too.
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab that records page errors and CSP violations (see `problems`). */
  newPage(): Promise<Page>;
  /** Uncaught page errors and Content-Security-Policy violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/** A headless Chromium with a fresh profile directory, removed again by close(). */
export async function openBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), "flashsale-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 1000 },
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  const problems: string[] = [];
  return {
    context,
    problems,
    async newPage() {
      const page = await context.newPage();
      page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
      page.on("console", (msg) => {
        if (msg.type() === "error" && /Content.Security.Policy/i.test(msg.text())) problems.push(`CSP: ${msg.text()}`);
      });
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}
