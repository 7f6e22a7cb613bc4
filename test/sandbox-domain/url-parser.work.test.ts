// Issue 10, finding 4: a crafted link must cost about what an ordinary one does. Measured in work, not time:
// the number of URL parses the parser makes (counted by wrapping the global URL, so the count does not depend on
// the parser's own bookkeeping) and the characters its work meter charged. Before the fix, the crafted link
// below made 4,681 URL parses (about 110 ms of CPU); an ordinary wrapped link makes 2.
import { afterEach, describe, expect, it } from "vitest";
import { MAX_CANDIDATES, MAX_CHARS } from "../../mock/sandbox/domain/link-parser/work-meter.ts";
import { analyseGoodsLink, parseGoodsLink } from "../../mock/sandbox/domain/url-parser.ts";
import { branchingWrappers, LIMIT, nestedWrappers, ordinaryLongLink } from "./url-parser.crafted.ts";

const OriginalURL = globalThis.URL;
let urlParses = 0;
function countUrlParses(): void {
  urlParses = 0;
  globalThis.URL = class CountingURL extends OriginalURL {
    constructor(url: string | URL, base?: string | URL) {
      urlParses++;
      super(url, base);
    }
  } as typeof URL;
}
afterEach(() => {
  globalThis.URL = OriginalURL;
});

function cost(link: string): { urlParses: number; chars: number; answer: unknown } {
  countUrlParses();
  const analysis = analyseGoodsLink(link);
  const counted = urlParses;
  globalThis.URL = OriginalURL;
  return { urlParses: counted, chars: analysis.work.chars, answer: analysis.outcome };
}

describe("bounded work per parse", () => {
  const ordinary = ordinaryLongLink();
  const crafted = [
    nestedWrappers("https://item.taobao.com/item.htm?id=x"),
    nestedWrappers("https://item.taobao.com/item.htm?id=768650559131"),
    branchingWrappers("https://item.taobao.com/item.htm?id=x"),
    nestedWrappers("http://a.co?", ["url"]),
  ];

  it("builds crafted links of the size the spec allows", () => {
    for (const link of [ordinary, ...crafted]) {
      expect(link.length).toBeLessThanOrEqual(LIMIT);
      expect(link.length).toBeGreaterThan(LIMIT / 2);
    }
  });

  it("parses an ordinary 2 KB link with 2 URL parses", () => {
    expect(parseGoodsLink(ordinary)?.goodsId).toBe("674680652328");
    expect(cost(ordinary).urlParses).toBeLessThanOrEqual(3);
  });

  it.each(crafted.map((link, i) => [i, link] as const))(
    "crafted link %i costs a bounded multiple of it",
    (_i, link) => {
      const base = cost(ordinary);
      const spent = cost(link);
      // At most MAX_CANDIDATES URL parses (each one pass over at most 2 KB), and at most MAX_CHARS characters:
      // about five times the ordinary link's work, where it used to be thousands of times.
      expect(spent.urlParses).toBeLessThanOrEqual(MAX_CANDIDATES);
      expect(spent.chars).toBeLessThanOrEqual(MAX_CHARS);
      expect(spent.chars).toBeLessThanOrEqual(8 * base.chars);
    },
  );

  it("a meter limit that is hit ends the parse with a refusal, not a guess", () => {
    const analysis = analyseGoodsLink(branchingWrappers("https://item.taobao.com/item.htm?id=x"));
    expect(analysis.outcome).toBe("refused");
  });

  it("would fail on a parser that branches per wrapper (a checker that can fail)", () => {
    // Re-parse every candidate the way the old recursion did, with no memory of what it has seen: the count
    // explodes past the bound the tests above hold the real parser to.
    countUrlParses();
    const visit = (link: string, depth: number): void => {
      if (depth > 4) return;
      const url = new URL(link);
      for (const [, value] of url.searchParams) if (value.startsWith("http")) visit(value, depth + 1);
      const plain = /[?&]\w+=(https?:\/\/.*)$/.exec(url.search);
      if (plain?.[1]) visit(plain[1], depth + 1);
    };
    visit(crafted[2] as string, 0);
    expect(urlParses).toBeGreaterThan(MAX_CANDIDATES);
  });
});
