// A partner's first call from the docs, in Debian's Chromium, with the site served by the sandbox (`npm start`):
// the try-it console reached from an operation sends the token call and the operation to the sandbox and shows
// code 0 in both languages; samples point at the sandbox; the demo credentials are on both pages; the language
// switch keeps the operation; Chinese search finds words inside titles; the Chinese page shows none of the Redoc
// interface strings the build translates; on a phone the menu button covers no content. And served by another
// server, the console sends nothing until a server is chosen. No request leaves 127.0.0.1 in any of them.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL } from "../../docs/code-samples.ts";
import { locales } from "../../docs/locales.ts";
import { sandboxDemo } from "../../docs/sandbox-demo.ts";
import { repoRoot, startSandbox } from "../helpers.ts";
import { type Browser, CHROMIUM, launchChromium, outsideRequests, type PageRecord, recordedPage } from "./browser.ts";
import { builtSite } from "./built-site.ts";
import { untranslatedInterface } from "./interface-strings.ts";
import { type StaticServer, serveStatic } from "./static-server.ts";

const screenshots = join(repoRoot, "test-results", "docs");
const SUMMARY = { en: "Query goods detail", "zh-CN": "查询商品详情" } as Record<string, string>;

describe.skipIf(!existsSync(CHROMIUM))("try it: the docs served by the sandbox, in Chromium", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let elsewhere: StaticServer;
  let browser: Browser;
  const records: PageRecord[] = [];

  beforeAll(async () => {
    const site = await builtSite();
    [sandbox, elsewhere, browser] = await Promise.all([
      startSandbox({ env: { SANDBOX_DOCS_DIR: site } }),
      serveStatic(site),
      launchChromium(),
    ]);
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    // Every page of every test: nothing left 127.0.0.1, nothing was logged as an error.
    for (const record of records) {
      expect(outsideRequests(record.requests)).toEqual([]);
      expect(record.errors).toEqual([]);
    }
    await browser?.close();
    await Promise.all([sandbox?.stop(), elsewhere?.close()]);
  });

  async function open(url: string): Promise<PageRecord> {
    const record = await recordedPage(browser);
    records.push(record);
    await record.page.goto(url, { waitUntil: "networkidle" });
    return record;
  }

  const heading = (record: PageRecord, text: string) => record.page.locator("h1, h2", { hasText: text }).first();

  for (const locale of locales) {
    it(`${locale.tag}: from an operation, the console gets a token and calls the operation on the sandbox (code 0)`, async () => {
      const w = locale.words.console;
      const record = await open(`${sandbox.baseUrl}/docs/${locale.tag}/#operation/getGoodsDetail`);
      const { page } = record;
      await heading(record, SUMMARY[locale.tag] ?? "").waitFor({ timeout: 15_000 });
      await page.locator("a.try-it:visible", { hasText: w.tryIt }).first().click();
      await page.waitForURL(`${sandbox.baseUrl}/docs/${locale.tag}/console.html#getGoodsDetail`);
      await page.waitForSelector('body[data-ready="sandbox"]');
      // Served by the sandbox: it is the target, and the demo credentials are filled in.
      expect(await page.inputValue("#server")).toBe(sandbox.baseUrl);
      const demo = sandboxDemo.apps[0];
      expect(await page.inputValue("#client-id")).toBe(demo?.clientId);
      expect(await page.inputValue("#client-secret")).toBe(demo?.clientSecret);
      expect(await page.inputValue("#tenant-id")).toBe(sandboxDemo.tenantId);
      // The console's own words are the page's language.
      expect((await page.textContent("#send"))?.trim()).toBe(w.send);
      expect(await page.textContent("h1")).toBe(w.title);

      await page.click("#send");
      const call = page.locator('[data-call="operation"][data-status]');
      await call.waitFor({ timeout: 15_000 });
      const token = page.locator('[data-call="token"]');
      expect(await token.getAttribute("data-status")).toBe("200");
      expect(await token.getAttribute("data-code")).toBe("0");
      expect(await token.locator("pre.request").textContent()).toContain(
        `POST ${sandbox.baseUrl}/open-api/system/oauth2/token\nAuthorization: Basic base64(${demo?.clientId}:••••••)\ntenant-id: ${sandboxDemo.tenantId}`,
      );
      expect(await token.locator("h3").textContent()).toContain(`${w.step.replace("{n}", "1")} ${w.tokenCall}`);
      expect(await call.getAttribute("data-status")).toBe("200");
      expect(await call.getAttribute("data-code")).toBe("0");
      expect(await call.locator("h3").textContent()).toContain(w.step.replace("{n}", "2"));
      expect(await call.locator('[data-testid="body"]').textContent()).toContain('"code": 0');
      expect(await call.locator("pre.headers").textContent()).toContain("content-type: application/json");
      await page.screenshot({ path: join(screenshots, `console-${locale.tag}.png`), fullPage: true });
      expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
      await page.close();
    });
  }

  it("every operation of the console answers code 0 from the sandbox (the revoke call with a token of its own)", async () => {
    const record = await open(`${sandbox.baseUrl}/docs/en/console.html`);
    const { page } = record;
    await page.waitForSelector('body[data-ready="sandbox"]');
    const operations = await page.$$eval("#operation option", (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    expect(operations).toHaveLength(9);
    const answers: Record<string, string> = {};
    for (const operationId of operations) {
      await page.selectOption("#operation", operationId);
      await page.click("#send");
      await page.waitForSelector('[data-call="operation"][data-status], #calls p.error');
      answers[operationId] = (
        await page.$$eval(".call", (cards) =>
          cards.map((c) => `${(c as HTMLElement).dataset.call}:${(c as HTMLElement).dataset.code}`),
        )
      ).join(" ");
    }
    for (const operationId of operations) {
      expect(answers[operationId], operationId).toBe(
        operationId === "issueToken" ? "operation:0" : "token:0 operation:0",
      );
    }
    await page.close();
  });

  it("served by another server, the console sends nothing until the partner chooses a server", async () => {
    const record = await open(`${elsewhere.baseUrl}/en/console.html#getGoodsDetail`);
    const { page } = record;
    await page.waitForSelector('body[data-ready="static"]');
    expect(await page.inputValue("#server")).toBe("");
    expect(await page.isDisabled("#send")).toBe(true);
    expect(await page.textContent("#server-note")).toContain(locales[0]?.words.console.notServed.slice(0, 40));
    // Production is not among the servers offered.
    const offered = await page.$$eval("#server option", (options) =>
      options.map((o) => (o as HTMLOptionElement).value),
    );
    expect(offered).not.toContain("https://api.rizzitgo.com");
    await page.click("#send", { force: true });
    await page.waitForTimeout(300);
    expect(record.requests.filter((url) => url.includes("/open-api/"))).toEqual([]);
    await page.close();
  });

  it("shows the samples with the sandbox as their base URL when it served the page, the QA gateway elsewhere", async () => {
    for (const [base, expected] of [
      [`${sandbox.baseUrl}/docs`, sandbox.baseUrl],
      [elsewhere.baseUrl, DEFAULT_BASE_URL],
    ] as const) {
      const record = await open(`${base}/zh-CN/#operation/getGoodsDetail`);
      await heading(record, "查询商品详情").waitFor({ timeout: 15_000 });
      await record.page.getByText(`\${OPENAPI_BASE_URL:-${expected}}`, { exact: false }).first().waitFor();
      await record.page.close();
    }
  });

  it("shows the sandbox's demo credentials in both languages, with a first call that can be copied whole", async () => {
    for (const locale of locales) {
      const record = await open(`${sandbox.baseUrl}/docs/${locale.tag}/#/environments/local-sandbox`);
      await record.page.locator("td", { hasText: "sandbox-goods-reader-secret" }).first().waitFor({ timeout: 15_000 });
      // biome-ignore lint/performance/useDomNodeTextContent: the test reads the text a reader sees, which only innerText gives
      const text = await record.page.evaluate(() => document.body.innerText);
      for (const app of sandboxDemo.apps) {
        expect(text, locale.tag).toContain(app.clientId);
        expect(text, locale.tag).toContain(app.clientSecret);
      }
      // The section's code block (the two-step first call) wraps instead of clipping, and has a copy button.
      const block = record.page.locator('[data-component-name="Markdown/Markdown"] > pre', { hasText: "npm start" });
      await block.locator("button.guide-copy", { hasText: locale.words.copy }).waitFor();
      expect(await block.evaluate((pre) => pre.scrollWidth <= pre.clientWidth)).toBe(true);
      await record.page.close();
    }
  });

  it("switches language from an operation or a guide section to the same place", async () => {
    const record = await open(`${sandbox.baseUrl}/docs/en/#operation/getGoodsDetail`);
    const { page } = record;
    await heading(record, "Query goods detail").waitFor({ timeout: 15_000 });
    await page.click('nav.lang-bar [data-lang-link="zh-CN"]');
    await page.waitForURL(`${sandbox.baseUrl}/docs/zh-CN/#/goods/getgoodsdetail`);
    await heading(record, "查询商品详情").waitFor({ timeout: 15_000 });
    await page.goto(`${sandbox.baseUrl}/docs/zh-CN/#/access-tokens/caching-and-refreshing`);
    await heading(record, "缓存与刷新").waitFor({ timeout: 15_000 });
    await page.click('nav.lang-bar [data-lang-link="en"]');
    await page.waitForURL(`${sandbox.baseUrl}/docs/en/#/access-tokens/caching-and-refreshing`);
    await heading(record, "Caching and refreshing").waitFor({ timeout: 15_000 });
    await page.close();
  });

  it("zh-CN: search finds a word inside a title (详情 lists 查询商品详情)", async () => {
    const record = await open(`${sandbox.baseUrl}/docs/zh-CN/`);
    const { page } = record;
    await page.locator('[data-testid="search-trigger"]').first().click();
    await page.locator('[data-testid="search-dialog"] input').first().fill("详情");
    await page
      .locator('[data-component-name="Search/SearchItem"]', { hasText: "查询商品详情" })
      .first()
      .waitFor({ timeout: 15_000 });
    await page.screenshot({ path: join(screenshots, "zh-CN-search.png") });
    await page.close();
  });

  it("zh-CN: Redoc's interface shows none of the strings the build translates in English (en: a must-fail case)", async () => {
    const found: Record<string, string[]> = {};
    for (const locale of locales) {
      const record = await open(`${sandbox.baseUrl}/docs/${locale.tag}/#operation/getGoodsDetail`);
      const { page } = record;
      await heading(record, SUMMARY[locale.tag] ?? "").waitFor({ timeout: 15_000 });
      const seen = new Set(await untranslatedInterface(page, "zh-CN"));
      // The search dialog's own words, with a query that finds nothing.
      await page.locator('[data-testid="search-trigger"]').first().click();
      await page.locator('[data-testid="search-dialog"] input').first().fill("zzqqxx");
      // Wait for the search to finish: the dialog says "Searching..." first, then that nothing was found.
      await page.waitForFunction(
        () =>
          /^(No results|没有结果)$/.test(document.querySelector('[data-testid="search-message"]')?.textContent ?? ""),
        undefined,
        { timeout: 15_000 },
      );
      for (const text of await untranslatedInterface(page, "zh-CN")) seen.add(text);
      found[locale.tag] = [...seen].sort();
      await page.close();
    }
    expect(found["zh-CN"]).toEqual([]);
    // The checker sees English where it is: the English page shows these very strings.
    expect(found.en).toEqual(expect.arrayContaining(["Request", "Responses", "No results", "Copy", "required"]));
  });

  it("on a phone (390x844) the menu button sits on the bar, not over the text, and the open menu starts below it", async () => {
    const record = await open(`${sandbox.baseUrl}/docs/zh-CN/#operation/getGoodsDetail`);
    const { page } = record;
    await page.setViewportSize({ width: 390, height: 844 });
    await heading(record, "查询商品详情").waitFor({ timeout: 15_000 });
    await page.mouse.wheel(0, 1200);
    await page.waitForTimeout(300);
    const button = await page.locator('[data-testid="floating-button"]').boundingBox();
    const bar = await page.locator("nav.lang-bar").boundingBox();
    expect(button && bar).toBeTruthy();
    if (!button || !bar) return;
    expect(bar.y).toBe(0);
    expect(button.y).toBeGreaterThanOrEqual(bar.y);
    expect(button.y + button.height).toBeLessThanOrEqual(bar.y + bar.height);
    expect(button.x + button.width).toBeLessThanOrEqual(390);
    // At the button's centre: the button, then the (opaque) bar; whatever lies further down is hidden by the bar.
    const stack = await page.evaluate(
      ([x, y]) => {
        const above: string[] = [];
        for (const element of document.elementsFromPoint(x ?? 0, y ?? 0)) {
          const bar = element.closest("nav.lang-bar");
          if (bar) return { above, barBackground: getComputedStyle(bar).backgroundColor };
          if (!element.closest('[data-testid="floating-button"]')) above.push(element.tagName);
        }
        return { above, barBackground: "none" };
      },
      [button.x + button.width / 2, button.y + button.height / 2],
    );
    expect(stack).toEqual({ above: [], barBackground: "rgb(15, 23, 42)" });
    await page.screenshot({ path: join(screenshots, "zh-CN-phone.png") });
    await page.locator('[data-testid="floating-button"]').click();
    await page.locator(".menu-content").waitFor();
    const menu = await page.locator(".menu-content").boundingBox();
    expect(menu?.y).toBeGreaterThanOrEqual(bar.height - 1);
    await page.close();
  });
});
