// Properties of the goods-link parser (fast-check): noise around a known link never changes the answer, and
// what is not one goods item's link is refused, whatever it is dressed in.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractLink, parseGoodsLink } from "../../mock/sandbox/domain/url-parser.ts";
import { linkCases } from "./url-parser.cases.ts";

const known = linkCases.filter((c) => c.expect !== null).map((c) => ({ ...c, link: extractLink(c.input) as string }));
/** Agent links, whose path the parser reads by shape: a locale or mobile prefix must not matter to them. */
const agentLinks = known.filter(
  (c) => c.source.startsWith("cn-links generateAgentLink") || c.source.includes("hypothetical"),
);

/** Tracking and referral parameters seen on shared links; none names a platform or a goods ID. */
const noiseKey = fc.constantFrom(
  "spm",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "ref",
  "inviteCode",
  "invite_code",
  "lang",
  "from",
  "nTag",
  "share_token",
  "partnercode",
  "affcode",
  "memberId",
  "_t",
  "ts",
  "sid",
  "scm",
  "pvid",
  "wfr",
  "abbucket",
  "skuId",
  "price",
  "u",
);
const noiseValue = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9._~-]{0,12}$/),
  // Digits that look like a goods ID (timestamps, SKU IDs, member IDs) under a name that is not an ID's.
  fc.stringMatching(/^[1-9][0-9]{4,12}$/),
  fc.constantFrom("taobao", "weidian", "1688", "TB", "WD", "AL", "1", "2"),
);
const noiseParams = fc
  .array(fc.tuple(noiseKey, noiseValue), { minLength: 1, maxLength: 4 })
  .map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join("&"));

/** Adds parameters to the query (before any hash), at its start or its end. */
function withQueryNoise(link: string, noise: string, atStart: boolean): string {
  const hashAt = link.indexOf("#");
  const before = hashAt < 0 ? link : link.slice(0, hashAt);
  const hash = hashAt < 0 ? "" : link.slice(hashAt);
  const queryAt = before.indexOf("?");
  if (queryAt < 0) return `${before}?${noise}${hash}`;
  if (atStart) return `${before.slice(0, queryAt + 1)}${noise}&${before.slice(queryAt + 1)}${hash}`;
  return `${before}${before.endsWith("?") ? "" : "&"}${noise}${hash}`;
}

const textAround = fc.tuple(
  fc.constantFrom("", "【淘宝】", "看看这个 ", "Check this: ", "😀 ", "  "),
  fc.constantFrom("", " 复制链接打开", "，好便宜！", "\n", " (ad)", "\t"),
);

function sameGoods(noisy: string, base: string): void {
  const expected = parseGoodsLink(base);
  const got = parseGoodsLink(noisy);
  expect(expected).not.toBeNull();
  expect({ ...got, searchUrl: "" }, noisy).toEqual({ ...expected, searchUrl: "" });
}

describe("noise around a known link never changes the answer", () => {
  it("query parameters added at either end, an anchor, text around the link", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...known),
        noiseParams,
        fc.boolean(),
        fc.option(fc.stringMatching(/^[a-z]{1,8}$/), { nil: undefined }),
        textAround,
        (c, noise, atStart, anchor, [before, after]) => {
          let link = withQueryNoise(c.link, noise, atStart);
          if (anchor !== undefined && !link.includes("#")) link += `#${anchor}`;
          sameGoods(`${before}${link}${after}`, c.link);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it("a locale or mobile prefix on an agent link's path", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...agentLinks),
        fc.constantFrom("en", "fr", "zh-CN", "es", "m", "h5"),
        (c, prefix) => {
          const url = new URL(c.link);
          const link = `${url.origin}/${prefix}${url.pathname}${url.search}${url.hash}`;
          sameGoods(link, c.link);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("would notice a parser that reads a noise parameter (a checker that can fail)", () => {
    const link = "https://cnfans.com/product?id=726145768645&platform=TAOBAO";
    expect(() => sameGoods(`${link}&id=726145768699`, link)).toThrow();
  });
});

describe("what is not one goods item's link is refused", () => {
  const id = fc.stringMatching(/^[1-9][0-9]{8,11}$/);
  const agentHost = fc.constantFrom(
    "cnfans.com",
    "mulebuy.com",
    "hoobuy.com",
    "oopbuy.com",
    "acbuy.com",
    "shop.example",
  );
  const platformWord = fc.constantFrom("taobao", "weidian", "ali_1688", "TB", "WD", "1");
  const otherHost = fc.constantFrom(
    "www.amazon.com",
    "www.ebay.com",
    "www.aliexpress.com",
    "www.reddit.com",
    "www.youtube.com",
    "github.com",
    "news.example",
    "www.etsy.com",
  );
  const goodsishSegment = fc.constantFrom("dp", "itm", "item", "product", "p", "comments", "watch", "issues", "goods");
  const neutralQuery = fc.option(noiseParams, { nil: undefined }).map((q) => (q === undefined ? "" : `?${q}`));

  const nonLinks = fc.oneof(
    // search pages
    fc.tuple(agentHost, id, platformWord).map(([h, i, w]) => `https://${h}/search?keyword=${i}&platform=${w}`),
    fc.string({ maxLength: 20 }).map((q) => `https://s.taobao.com/search?q=${encodeURIComponent(q)}&id=768650559131`),
    fc
      .string({ maxLength: 20 })
      .map((q) => `https://s.1688.com/selloffer/offer_search.htm?keywords=${encodeURIComponent(q)}`),
    // shop pages
    id.map((i) => `https://shop${i}.taobao.com/?id=${i}`),
    id.map((i) => `https://weidian.com/?userid=${i}`),
    fc.tuple(agentHost, platformWord, id).map(([h, w, i]) => `https://${h}/shops/?shop_type=${w}&shop_id=${i}`),
    fc.tuple(agentHost, platformWord, id).map(([h, w, i]) => `https://${h}/store/${w}/${i}`),
    // plain text, with or without digits that look like an ID
    fc.string({ maxLength: 200 }),
    fc.tuple(fc.string({ maxLength: 30 }), id).map(([t, i]) => `${t} ${i} taobao weidian 1688`),
    // other sites' IDs, with neutral parameters
    fc.tuple(otherHost, goodsishSegment, id, neutralQuery).map(([h, s, i, q]) => `https://${h}/${s}/${i}${q}`),
    fc.tuple(otherHost, id, neutralQuery).map(([h, i, q]) => `https://${h}/page${q}${q === "" ? "?" : "&"}id=${i}`),
    // a digit under a generic name (an article type, a traffic source) on a site with no digit table
    fc
      .tuple(
        otherHost,
        fc.constantFrom("type", "source", "channel", "tp", "src"),
        fc.constantFrom("0", "1", "2", "3"),
        id,
      )
      .map(([h, k, d, i]) => `https://${h}/page?${k}=${d}&id=${i}`),
    // an agent link that names no platform
    fc.tuple(agentHost, id, neutralQuery).map(([h, i, q]) => `https://${h}/product/${i}${q}`),
  );

  it("search pages, shop pages, plain text and other sites' IDs", () => {
    fc.assert(
      fc.property(nonLinks, (text) => {
        expect(parseGoodsLink(text), text).toBeNull();
      }),
      { numRuns: 2000 },
    );
  });

  it("would notice a parser that accepts any number after a goods segment (a checker that can fail)", () => {
    const guess = (text: string) => /\/(?:item|product|dp)\/([0-9]+)/.exec(text)?.[1] ?? null;
    expect(guess("https://www.ebay.com/item/123456789012")).not.toBeNull();
    expect(parseGoodsLink("https://www.ebay.com/item/123456789012")).toBeNull();
  });
});
