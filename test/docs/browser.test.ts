// The built docs site in a real browser (Debian's Chromium): both languages load with every operation, the Chinese
// page shows Chinese, the language links work, nothing is logged as an error, and no request leaves 127.0.0.1.
// The same checks run on the site as the sandbox serves it under /docs/. Screenshots go to test-results/docs/.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locales } from "../../docs/locales.ts";
import { type JsonObject, listOperations } from "../../docs/operations.ts";
import { repoRoot, startSandbox } from "../helpers.ts";
import { type Browser, CHROMIUM, launchChromium, outsideRequests, type PageRecord, recordedPage } from "./browser.ts";
import { builtSite } from "./built-site.ts";
import { type StaticServer, serveStatic } from "./static-server.ts";

const screenshots = join(repoRoot, "test-results", "docs");

interface Tag {
  name: string;
  "x-displayName"?: string;
}

describe.skipIf(!existsSync(CHROMIUM))("the docs site in Chromium", () => {
  let site: string;
  let server: StaticServer;
  let browser: Browser;

  beforeAll(async () => {
    site = await builtSite();
    server = await serveStatic(site);
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const bundle = (tag: string): JsonObject =>
    JSON.parse(readFileSync(join(site, "downloads", `openapi.${tag}.json`), "utf8")) as JsonObject;

  async function open(url: string): Promise<PageRecord> {
    const record = await recordedPage(browser);
    await record.page.goto(url, { waitUntil: "networkidle" });
    return record;
  }

  /** Every operation is in the side menu under its (translated) tag, and opens with its summary as the heading. */
  async function expectEveryOperation(record: PageRecord, tag: string): Promise<void> {
    const { page } = record;
    const spec = bundle(tag);
    const operations = listOperations(spec);
    expect(operations).toHaveLength(9);
    for (const t of spec.tags as unknown as Tag[]) {
      await page
        .getByText(t["x-displayName"] ?? t.name, { exact: true })
        .first()
        .click();
    }
    // biome-ignore lint/performance/useDomNodeTextContent: the test reads the text a reader sees, which only innerText gives
    const menuText = await page.evaluate(() => document.body.innerText);
    for (const op of operations) expect(menuText, `${tag}: menu lists ${op.operationId}`).toContain(op.summary);
    for (const op of operations) {
      await page.goto(`${page.url().split("#")[0]}#operation/${op.operationId}`);
      // Redoc answers the classic #operation/<id> anchor by routing to the operation, headed by its summary.
      const heading = page.locator("h1, h2", { hasText: op.summary }).first();
      await heading.waitFor({ timeout: 10_000 });
      // The code samples panel shows the generated cURL of the operation.
      await page.getByText(op.path, { exact: false }).first().waitFor({ timeout: 10_000 });
    }
  }

  /** The samples panel offers the four languages, each showing its own code. */
  async function expectCodeSamples(record: PageRecord): Promise<void> {
    const { page } = record;
    await page.goto(`${page.url().split("#")[0]}#operation/getGoodsDetail`);
    const shows: Record<string, string> = {
      TypeScript: "createOpenApiClient",
      Python: "import requests",
      Java: "HttpClient.newHttpClient()",
      cURL: "curl -sS -X POST",
    };
    let current = "cURL";
    for (const [label, code] of Object.entries(shows)) {
      await page.getByText(current, { exact: true }).first().click();
      await page
        .getByRole("option", { name: label })
        .or(page.getByText(label, { exact: true }))
        .last()
        .click();
      await page.getByText(code, { exact: false }).first().waitFor({ timeout: 10_000 });
      current = label;
    }
  }

  for (const locale of locales) {
    it(`${locale.tag}: loads with every operation, no console error and no request leaving 127.0.0.1`, async () => {
      const record = await open(`${server.baseUrl}/${locale.tag}/`);
      const { page } = record;
      expect(await page.getAttribute("html", "lang")).toBe(locale.tag);
      await page.screenshot({ path: join(screenshots, `${locale.tag}.png`) });
      await expectEveryOperation(record, locale.tag);
      await expectCodeSamples(record);
      await page.goto(`${server.baseUrl}/${locale.tag}/#operation/redeemCouponCode`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(screenshots, `${locale.tag}-redeemCouponCode.png`) });
      expect(record.errors).toEqual([]);
      expect(outsideRequests(record.requests)).toEqual([]);
      await page.close();
    });
  }

  it("zh-CN: the page shows Chinese, in the guide, the menu and the reference", async () => {
    const record = await open(`${server.baseUrl}/zh-CN/`);
    // biome-ignore lint/performance/useDomNodeTextContent: the test reads the text a reader sees, which only innerText gives
    const text = await record.page.evaluate(() => document.body.innerText);
    const han = text.match(/\p{Script=Han}/gu) ?? [];
    expect(han.length).toBeGreaterThan(1000);
    for (const heading of [
      "概述",
      "术语表",
      "接入流程",
      "上线前检查清单",
      "错误码",
      "安全与限制",
      "常见问题",
      "变更历史",
    ]) {
      expect(text).toContain(heading);
    }
    for (const tag of ["认证", "商品", "商品质检", "促销"]) expect(text).toContain(tag);
    expect(await record.page.locator(".sequence-diagram svg text", { hasText: "合作方应用" }).count()).toBe(2);
    // The generated error table links each code to its operation, and the link lands there.
    await record.page.getByText("错误码", { exact: true }).first().click();
    await record.page.locator('a[href="#operation/redeemCouponCode"]').last().click();
    await record.page.waitForURL(/#\/.*redeemcouponcode$/);
    await record.page.locator("h1, h2", { hasText: "兑换码兑换优惠券" }).first().waitFor({ timeout: 10_000 });
    expect(record.errors).toEqual([]);
    await record.page.close();
  });

  it("the language links lead from each language to the other, and the root page to both", async () => {
    const record = await open(`${server.baseUrl}/en/`);
    const { page } = record;
    await page.click('nav.lang-bar [data-lang-link="zh-CN"]');
    await page.waitForURL(`${server.baseUrl}/zh-CN/`);
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    await page.click('nav.lang-bar [data-lang-link="en"]');
    await page.waitForURL(`${server.baseUrl}/en/`);
    expect(await page.getAttribute("html", "lang")).toBe("en");

    await page.goto(`${server.baseUrl}/`, { waitUntil: "networkidle" });
    await page.screenshot({ path: join(screenshots, "index.png") });
    for (const locale of locales) {
      await page.goto(`${server.baseUrl}/`);
      await page.click(`ul.languages a[hreflang="${locale.tag}"]`);
      await page.waitForURL(`${server.baseUrl}/${locale.tag}/`);
    }
    // Every download link of the root page answers.
    await page.goto(`${server.baseUrl}/`);
    const downloads = await page.$$eval("a[download]", (links) => links.map((a) => (a as HTMLAnchorElement).href));
    // Spec JSON + YAML + Postman collection per language, then the Postman environment and the SDK tarball.
    expect(downloads).toHaveLength(8);
    for (const href of downloads) expect((await page.request.get(href)).status(), href).toBe(200);
    expect(record.errors).toEqual([]);
    expect(outsideRequests(record.requests)).toEqual([]);
    await page.close();
  });

  it("the request recorder catches a request to another host (so an empty list above means something)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "outside-"));
    try {
      // 127.0.0.2 is another host to the checker, and refuses at once (no DNS, no network needed).
      writeFileSync(join(dir, "index.html"), '<!DOCTYPE html><img src="http://127.0.0.2:9/font.png">');
      const leaky = await serveStatic(dir);
      const record = await open(`${leaky.baseUrl}/`);
      expect(outsideRequests(record.requests)).toEqual(["http://127.0.0.2:9/font.png"]);
      await record.page.close();
      await leaky.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe("served by the sandbox under /docs/", () => {
    let sandbox: Awaited<ReturnType<typeof startSandbox>>;
    beforeAll(async () => {
      sandbox = await startSandbox({ env: { SANDBOX_DOCS_DIR: site } });
    });
    afterAll(async () => {
      await sandbox?.stop();
    });

    it("serves the chooser and both languages, which load cleanly and link to each other", async () => {
      const record = await open(`${sandbox.baseUrl}/docs/`);
      const { page } = record;
      await page.click('ul.languages a[hreflang="zh-CN"]');
      await page.waitForURL(`${sandbox.baseUrl}/docs/zh-CN/`);
      await page.waitForLoadState("networkidle");
      await page.getByText("概述", { exact: true }).first().waitFor();
      await page.screenshot({ path: join(screenshots, "sandbox-zh-CN.png") });
      await page.click('nav.lang-bar [data-lang-link="en"]');
      await page.waitForURL(`${sandbox.baseUrl}/docs/en/`);
      await page.waitForLoadState("networkidle");
      await expectEveryOperation(record, "en");
      expect(record.errors).toEqual([]);
      expect(outsideRequests(record.requests)).toEqual([]);
      expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
      await page.close();
    });
  });
});
