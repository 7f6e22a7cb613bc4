// Table test of the offline goods-link parser (pure: no server).
import { describe, expect, it } from "vitest";
import { extractLink, parseGoodsLink, targetGoodsDetailUrl } from "../../mock/sandbox/domain/url-parser.ts";
import { linkCases } from "./url-parser.cases.ts";

/** The registrable part of a case's host (item.taobao.com -> taobao.com), or null for a hypothetical `.example`. */
function siteOf(input: string): string | null {
  const link = extractLink(input);
  if (link === null) return null;
  try {
    const host = new URL(link).hostname.toLowerCase();
    if (host.endsWith(".example")) return null;
    return host.split(".").slice(-2).join(".");
  } catch {
    return null;
  }
}

describe("parseGoodsLink: real-world link shapes", () => {
  it("has at least 300 cases from at least 40 agent or platform sites, each saying where its shape comes from", () => {
    expect(linkCases.length).toBeGreaterThanOrEqual(300);
    expect(linkCases.filter((c) => c.expect === null).length).toBeGreaterThanOrEqual(60);
    const sites = new Set(linkCases.filter((c) => c.expect !== null).map((c) => siteOf(c.input)));
    sites.delete(null);
    expect(sites.size).toBeGreaterThanOrEqual(40);
    for (const c of linkCases) expect(c.source.trim(), c.input).not.toBe("");
    expect(new Set(linkCases.map((c) => c.input)).size, "no case twice").toBe(linkCases.length);
  });

  it.each(linkCases.map((c) => [c.input, c] as const))("%s", (_input, c) => {
    const parsed = parseGoodsLink(c.input);
    if (c.expect === null) {
      expect(parsed).toBeNull();
      return;
    }
    expect(parsed).not.toBeNull();
    expect(parsed?.goodsId).toBe(c.expect.id);
    expect(parsed?.goodsSource).toBe(c.expect.source);
    expect(parsed?.goodsSourceName).toBe({ 1: "taobao", 2: "alibaba", 3: "weidian", 4: "other" }[c.expect.source]);
    if (c.expect.detail !== undefined) expect(parsed?.goodsDetailUrl).toBe(c.expect.detail);
  });
});

describe("cleaning and the share link", () => {
  it("keeps the spec example exactly", () => {
    const link = "https://detail.tmall.com/item.htm?id=768650559131";
    expect(parseGoodsLink(link)).toEqual({
      goodsId: "768650559131",
      goodsSource: 1,
      goodsSourceName: "taobao",
      goodsDetailUrl: link,
      searchUrl: link,
    });
    expect(targetGoodsDetailUrl("768650559131", 1, "ABC123")).toBe(
      "https://www.rizzitgo.com/detailPage?goodsId=768650559131&source=1&rno=ABC123",
    );
  });

  it("strips Chinese text and spaces around the link", () => {
    expect(extractLink("【淘宝】 https://item.taobao.com/item.htm?id=768650559131 复制链接打开")).toBe(
      "https://item.taobao.com/item.htm?id=768650559131",
    );
    expect(extractLink("看这个https://weidian.com/item.html?itemID=7212345678，")).toBe(
      "https://weidian.com/item.html?itemID=7212345678",
    );
  });

  it("omits rno when empty and encodes it when present", () => {
    expect(targetGoodsDetailUrl("1", 2)).toBe("https://www.rizzitgo.com/detailPage?goodsId=1&source=2");
    expect(targetGoodsDetailUrl("1", 2, "")).toBe("https://www.rizzitgo.com/detailPage?goodsId=1&source=2");
    expect(targetGoodsDetailUrl("1", 3, "a b&c")).toBe(
      "https://www.rizzitgo.com/detailPage?goodsId=1&source=3&rno=a+b%26c",
    );
  });

  it("reads its own share link back to the same goods (targetGoodsDetailUrl round trip)", () => {
    for (const c of linkCases) {
      if (c.expect === null || c.expect.source === 4) continue;
      const share = targetGoodsDetailUrl(c.expect.id, c.expect.source, "R1");
      expect(parseGoodsLink(share), share).toMatchObject({ goodsId: c.expect.id, goodsSource: c.expect.source });
    }
  });

  it("would catch a parser that takes skuId= for the id (a checker that can fail)", () => {
    const wrong = parseGoodsLink("https://item.taobao.com/item.htm?skuId=5012345678901&id=691541677564");
    expect(wrong?.goodsId).not.toBe("5012345678901");
  });
});
