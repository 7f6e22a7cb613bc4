// "Runs in any runtime with fetch": the SDK bundled for the browser (esbuild) runs in a real Chromium against
// Prism. Portability proof only: a real integration never ships the clientSecret to a browser (see the README).
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Browser, launchChromium, outsideRequests, recordedPage } from "../docs/browser.ts";
import { repoRoot, startPrism } from "../helpers.ts";

let prism: Awaited<ReturnType<typeof startPrism>>;
let browser: Browser;

beforeAll(async () => {
  prism = await startPrism();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await prism?.stop();
});

describe("the SDK in Chromium", () => {
  it("fetches a token, calls, pages and redeems with the browser's own fetch", async () => {
    const bundle = await build({
      entryPoints: [join(repoRoot, "client", "index.ts")],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "RizzitSdk",
      write: false,
      logLevel: "silent",
    });
    const { page, requests, errors } = await recordedPage(browser);
    // Same origin as the API, so the test is about the SDK, not about CORS.
    await page.goto(`${prism.baseUrl}/open-api/goods/detail`);
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? "" });
    const result = await page.evaluate(async (baseUrl) => {
      interface Sdk {
        createOpenApiClient(options: Record<string, unknown>): {
          getGoodsDetail(body: unknown): Promise<{ goodsTitle: string }>;
          iterateGoodsQc(query: unknown): AsyncIterable<unknown>;
          redeemCouponCode(body: unknown): Promise<{ success: boolean }>;
        };
      }
      const { createOpenApiClient } = (globalThis as unknown as { RizzitSdk: Sdk }).RizzitSdk;
      const client = createOpenApiClient({
        baseUrl,
        clientId: "sandbox-demo",
        clientSecret: "sandbox-demo-secret",
        tenantId: "1",
        fetch: window.fetch,
      });
      const goods = await client.getGoodsDetail({ goodsId: "123456", source: 1 });
      let qc = 0;
      for await (const _ of client.iterateGoodsQc({ pageSize: 10 })) qc++;
      const redeemed = await client.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com" });
      return { title: goods.goodsTitle, qc, redeemed: redeemed.success };
    }, prism.baseUrl);
    expect(result).toEqual({ title: "Sample Goods", qc: expect.any(Number), redeemed: true });
    expect(result.qc).toBeGreaterThan(0);
    // The page itself is Prism's 405 for a GET (and a 404 favicon): only script errors count.
    expect(errors.filter((e) => !e.startsWith("Failed to load resource"))).toEqual([]);
    expect(outsideRequests(requests)).toEqual([]);
  });
});
