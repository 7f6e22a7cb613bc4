// Offline goods-link parser for parseGoodsUrl: pure, no network, no state. It knows the shapes of goods links,
// not a list of sites. In this order, for the link cut out of the pasted text and for each link wrapped in it:
//   1. a goods platform's own link (Taobao, Tmall, 1688, Weidian; JD, Pinduoduo, Xianyu as "other"): its rule
//      decides (link-parser/platforms.ts), except that a platform page that is not a goods page may wrap one;
//   2. links wrapped in any parameter or hash route, decoded up to a bound (link-parser/wrapped-links.ts);
//   3. the agent shapes, on any host: platform word or code in a parameter or path segment, the ID in a parameter
//      or the next segment (link-parser/agent-shapes.ts), with per-site rules only where a site's shape is unusual
//      (link-parser/site-rules.ts).
// A link whose platform cannot be told, or whose ID is not a plausible goods ID, is refused rather than guessed.
// Short links are recognised but not followed here: the caller answers them (domain/short-links/).
// Work per parse is bounded and linear in the input (link-parser/work-meter.ts).
//
// Why not a library: cn-links (npm, MIT), the most complete maintained agent-link package, recognises a fixed
// list of 34 agents by domain and throws "Agent not detected" on any other host, which is the gap this parser
// closes; it also has no bound on work and pulls in crypto-js to decrypt one site's links. Its recorded data
// (each agent's digit table and link template) is the source of the per-site rules and of the test table here.

import { hostOf, viewOf } from "./link-parser/link-view.ts";
import {
  canonicalUrl,
  type Hit,
  isShortLink,
  type ParsedSourceCode,
  type ParsedSourceName,
  parsePlatformUrl,
  SOURCE_OF,
} from "./link-parser/platforms.ts";
import { readAgentLink } from "./link-parser/site-rules.ts";
import { MAX_WRAP_DEPTH, WorkMeter } from "./link-parser/work-meter.ts";
import { wrappedLinks } from "./link-parser/wrapped-links.ts";

export type { Hit, ParsedSourceCode, ParsedSourceName, Platform } from "./link-parser/platforms.ts";

export interface ParsedGoodsLink {
  goodsId: string;
  goodsSource: ParsedSourceCode;
  goodsSourceName: ParsedSourceName;
  /** The canonical detail page on the goods' own platform. */
  goodsDetailUrl: string;
  /** The link as cleaned out of the pasted text. */
  searchUrl: string;
}

/** What one parse found, and what it cost. */
export type LinkAnalysis = (
  | { outcome: "parsed"; link: ParsedGoodsLink; hit: Hit }
  /** A short link (m.tb.cn/...), directly or wrapped: only a redirect, or the fixture table, can tell its goods. */
  | { outcome: "short-link"; searchUrl: string; shortUrl: string }
  | { outcome: "refused"; searchUrl: string | null }
) & { work: { candidates: number; chars: number; exhausted: boolean } };

export interface ParseOptions {
  /** More hosts to treat as short-link hosts (tests point one at a local redirect server). */
  shortLinkHosts?: ReadonlySet<string>;
}

const SITE_ORIGIN = "https://www.rizzitgo.com";

/** The platform's own share link for a goods item; `rno` (a promotion code) is appended when non-empty. */
export function targetGoodsDetailUrl(goodsId: string, goodsSource: ParsedSourceCode, rno?: string): string {
  const params = new URLSearchParams({ goodsId, source: String(goodsSource) });
  if (rno !== undefined && rno !== "") params.set("rno", rno);
  return `${SITE_ORIGIN}/detailPage?${params.toString()}`;
}

/** The answer for a goods item found by any means (the parser, or a short link's fixture). */
export function goodsLinkOf(hit: Hit, searchUrl: string): ParsedGoodsLink {
  const { goodsSource, goodsSourceName } = SOURCE_OF[hit.platform];
  return { goodsId: hit.id, goodsSource, goodsSourceName, goodsDetailUrl: canonicalUrl(hit), searchUrl };
}

/**
 * Parses pasted text holding a goods link. Returns null when the text holds no link that names one goods item
 * offline (the caller answers "Failed to parse product URL").
 */
export function parseGoodsLink(text: string): ParsedGoodsLink | null {
  const analysis = analyseGoodsLink(text);
  return analysis.outcome === "parsed" ? analysis.link : null;
}

/** Parses pasted text, telling a short link apart from a refusal, and reports the work it took. */
export function analyseGoodsLink(text: string, options: ParseOptions = {}): LinkAnalysis {
  const meter = new WorkMeter();
  const work = () => ({ candidates: meter.candidates, chars: meter.chars, exhausted: meter.exhausted });
  const searchUrl = extractLink(text);
  if (searchUrl === null) return { outcome: "refused", searchUrl, work: work() };
  const state: WalkState = { meter, shortLinkHosts: options.shortLinkHosts, shortUrl: null };
  const hit = parseCandidate(searchUrl, 0, state);
  if (hit !== null) return { outcome: "parsed", link: goodsLinkOf(hit, searchUrl), hit, work: work() };
  if (state.shortUrl !== null) return { outcome: "short-link", searchUrl, shortUrl: state.shortUrl, work: work() };
  return { outcome: "refused", searchUrl, work: work() };
}

// ---------------------------------------------------------------------------------------------------------------
// Cleaning pasted text

/** Characters that end a link inside pasted text: whitespace, anything outside printable ASCII (Chinese, 【】, ，). */
const LINK_CHAR = /[\x21-\x7e]/;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}>]+$/;

/**
 * Cuts the first link out of pasted text ("【淘宝】 https://item.taobao.com/item.htm?id=1 复制链接打开"). A link
 * without a scheme ("item.taobao.com/item.htm?id=1") is accepted and given https://.
 */
export function extractLink(text: string): string | null {
  const schemeAt = text.search(/https?:\/\//i);
  let start = schemeAt;
  let prefix = "";
  if (start < 0) {
    const bare = text.search(/(?<![\w.@/:-])(?:[a-z0-9-]+\.)+[a-z]{2,}\/[\x21-\x7e]/i);
    if (bare < 0) return null;
    start = bare;
    prefix = "https://";
  }
  let end = start;
  while (end < text.length && LINK_CHAR.test(text.charAt(end))) end++;
  const link = text.slice(start, end).replace(TRAILING_PUNCTUATION, "");
  if (link.length === 0) return null;
  return prefix + link;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing one candidate link, and the links wrapped in it

interface WalkState {
  meter: WorkMeter;
  shortLinkHosts: ReadonlySet<string> | undefined;
  /** The first short link met, answered when nothing else parses. */
  shortUrl: string | null;
}

function parseCandidate(link: string, depth: number, state: WalkState): Hit | null {
  if (depth > MAX_WRAP_DEPTH || !state.meter.admit(link)) return null;
  let url: URL;
  try {
    // A link copied out of HTML keeps its escaped ampersands (`?abbucket=15&amp;id=...`).
    url = new URL(link.includes("&amp;") ? link.replaceAll("&amp;", "&") : link);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = hostOf(url);
  if (isShortLink(host, url.pathname) || state.shortLinkHosts?.has(host)) {
    state.shortUrl ??= link;
    return null;
  }
  const platform = parsePlatformUrl(host, url);
  if (platform !== null && platform !== undefined) return platform;
  const view = viewOf(url);
  for (const inner of wrappedLinks(link, view)) {
    const hit = parseCandidate(inner, depth + 1, state);
    if (hit !== null) return hit;
  }
  return platform === null ? null : readAgentLink(view);
}
