// Debian's Chromium driven by playwright-core, with a fresh profile, and a recorder of every request and console
// error of a page. Shared by the browser test of the docs site.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export interface Browser {
  context: BrowserContext;
  close: () => Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "docs-chromium-"));
  // launchPersistentContext is playwright's way to pass --user-data-dir: a fresh, empty profile per run.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export interface PageRecord {
  page: Page;
  /** Every URL the page requested, in order (documents, scripts, images, fetches, ...). */
  requests: string[];
  /** console.error messages and uncaught exceptions. */
  errors: string[];
}

export async function recordedPage(browser: Browser): Promise<PageRecord> {
  const page = await browser.context.newPage();
  const record: PageRecord = { page, requests: [], errors: [] };
  page.on("request", (request) => record.requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") record.errors.push(message.text());
  });
  page.on("pageerror", (error) => record.errors.push(`uncaught: ${error.message}`));
  return record;
}

/** Requests to anything but 127.0.0.1 (data: and blob: URLs stay inside the page). */
export function outsideRequests(requests: string[]): string[] {
  return requests.filter((url) => {
    if (url.startsWith("data:") || url.startsWith("blob:")) return false;
    try {
      return new URL(url).hostname !== "127.0.0.1";
    } catch {
      return true;
    }
  });
}
