import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";

/** Debian's chromium (CI installs it with apt-get); playwright-core downloads no browser. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

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
