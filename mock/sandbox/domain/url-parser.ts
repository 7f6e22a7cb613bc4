// Offline goods-link parser for parseGoodsUrl: pure, no network, no state.
// A link is parsed only when the goods ID is written in it; anything that would need a redirect (short links)
// or names no single goods item (store pages, search pages) is refused rather than guessed.

export type ParsedSourceCode = 1 | 2 | 3 | 4;
export type ParsedSourceName = "taobao" | "alibaba" | "weidian" | "other";

export interface ParsedGoodsLink {
  goodsId: string;
  goodsSource: ParsedSourceCode;
  goodsSourceName: ParsedSourceName;
  /** The canonical detail page on the goods' own platform. */
  goodsDetailUrl: string;
  /** The link as cleaned out of the pasted text. */
  searchUrl: string;
}

/** Where a link points once every wrapper is peeled off. `tmall` keeps Tmall links on detail.tmall.com. */
type Platform = "taobao" | "tmall" | "1688" | "weidian" | "jd" | "pinduoduo" | "xianyu";
interface Hit {
  platform: Platform;
  id: string;
}

const SITE_ORIGIN = "https://www.rizzitgo.com";

/** The platform's own share link for a goods item; `rno` (a promotion code) is appended when non-empty. */
export function targetGoodsDetailUrl(goodsId: string, goodsSource: ParsedSourceCode, rno?: string): string {
  const params = new URLSearchParams({ goodsId, source: String(goodsSource) });
  if (rno !== undefined && rno !== "") params.set("rno", rno);
  return `${SITE_ORIGIN}/detailPage?${params.toString()}`;
}

/**
 * Parses pasted text holding a goods link. Returns null when the text holds no link that names one goods item
 * offline (the caller answers "Failed to parse product URL").
 */
export function parseGoodsLink(text: string): ParsedGoodsLink | null {
  const searchUrl = extractLink(text);
  if (searchUrl === null) return null;
  const hit = parseUrlText(searchUrl, 0);
  if (hit === null) return null;
  const { goodsSource, goodsSourceName } = SOURCE_OF[hit.platform];
  return { goodsId: hit.id, goodsSource, goodsSourceName, goodsDetailUrl: canonicalUrl(hit), searchUrl };
}

const SOURCE_OF: Record<Platform, { goodsSource: ParsedSourceCode; goodsSourceName: ParsedSourceName }> = {
  taobao: { goodsSource: 1, goodsSourceName: "taobao" },
  tmall: { goodsSource: 1, goodsSourceName: "taobao" },
  "1688": { goodsSource: 2, goodsSourceName: "alibaba" },
  weidian: { goodsSource: 3, goodsSourceName: "weidian" },
  jd: { goodsSource: 4, goodsSourceName: "other" },
  pinduoduo: { goodsSource: 4, goodsSourceName: "other" },
  xianyu: { goodsSource: 4, goodsSourceName: "other" },
};

function canonicalUrl({ platform, id }: Hit): string {
  switch (platform) {
    case "taobao":
      return `https://item.taobao.com/item.htm?id=${id}`;
    case "tmall":
      return `https://detail.tmall.com/item.htm?id=${id}`;
    case "1688":
      return `https://detail.1688.com/offer/${id}.html`;
    case "weidian":
      return `https://weidian.com/item.html?itemID=${id}`;
    case "jd":
      return `https://item.jd.com/${id}.html`;
    case "pinduoduo":
      return `https://mobile.yangkeduo.com/goods.html?goods_id=${id}`;
    case "xianyu":
      return `https://www.goofish.com/item?id=${id}`;
  }
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
// Parsing one link

const MAX_WRAP_DEPTH = 4;
const NUMERIC_ID = /^[1-9][0-9]{4,19}$/;

function parseUrlText(link: string, depth: number): Hit | null {
  if (depth > MAX_WRAP_DEPTH) return null;
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase().replace(/^www\./, "");
  if (isShortLinkHost(host)) return null;
  const platform = parsePlatformUrl(host, url);
  if (platform !== undefined) return platform;
  // An agent (or any other) page wrapping the original link in a parameter: parse the inner link.
  for (const inner of wrappedLinks(url)) {
    const hit = parseUrlText(inner, depth + 1);
    if (hit !== null) return hit;
  }
  const agent = AGENTS.find((a) => host === a.domain || host.endsWith(`.${a.domain}`));
  if (agent === undefined) return null;
  const hit = agent.parse(url, queryOf(url));
  return hit !== null && NUMERIC_ID.test(hit.id) ? hit : null;
}

/** Short links name their goods only after a network redirect: the sandbox is offline, so it never guesses. */
function isShortLinkHost(host: string): boolean {
  return (
    host === "m.tb.cn" ||
    host === "e.tb.cn" ||
    host === "tb.cn" ||
    host === "s.click.taobao.com" ||
    host === "uland.taobao.com" ||
    host === "qr.1688.com" ||
    host === "u.jd.com" ||
    host === "3.cn"
  );
}

function isDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

function numeric(id: string | null | undefined): string | null {
  return id !== null && id !== undefined && NUMERIC_ID.test(id) ? id : null;
}

function hitOrNull(platform: Platform, id: string | null | undefined): Hit | null {
  const clean = numeric(id);
  return clean === null ? null : { platform, id: clean };
}

/**
 * Links of the goods platforms themselves. `undefined` means "not a platform host, keep looking"; `null` means
 * "a platform host, but not a goods page" (a store, a search): refused, wrappers are not looked for.
 */
function parsePlatformUrl(host: string, url: URL): Hit | null | undefined {
  const path = url.pathname;
  const query = url.searchParams;
  if (isDomain(host, "tmall.com") || isDomain(host, "tmall.hk")) {
    // Store subdomains (xxx.tmall.com/shop/...) carry no `id=`: refused.
    return /item\.htm|detail/i.test(path) || isDomain(host, "detail.tmall.com") || host.startsWith("detail.")
      ? hitOrNull("tmall", query.get("id"))
      : null;
  }
  if (isDomain(host, "taobao.com")) {
    if (host === "s.taobao.com" || /^shop\d*\./.test(host)) return null;
    // world.taobao.com/item/<id>.htm, www.taobao.com/list/item/<id>.htm, a.m.taobao.com/i<id>.htm
    const inPath = /\/item\/([0-9]+)\.html?$/.exec(path) ?? /^\/i([0-9]+)\.html?$/.exec(path);
    if (inPath) return hitOrNull("taobao", inPath[1]);
    if (host === "2.taobao.com") return hitOrNull("xianyu", query.get("id"));
    return hitOrNull("taobao", query.get("id"));
  }
  if (isDomain(host, "1688.com")) {
    const offer = /\/offer\/([0-9]+)\.html?$/.exec(path);
    if (offer) return hitOrNull("1688", offer[1]);
    return hitOrNull("1688", query.get("offerId") ?? query.get("offerid"));
  }
  if (isDomain(host, "weidian.com") || isDomain(host, "youshop10.com")) {
    // Only item pages: weidian.com/?userid=..., weidian.com/s/<shop> and short k.youshop10.com/<code> are refused.
    if (!/item\.html?$/i.test(path)) return null;
    return hitOrNull("weidian", query.get("itemID") ?? query.get("itemId") ?? query.get("itemid"));
  }
  if (isDomain(host, "jd.com") || isDomain(host, "jd.hk")) {
    const jd = /^\/(?:product\/)?([0-9]+)\.html$/.exec(path);
    return jd ? hitOrNull("jd", jd[1]) : null;
  }
  if (isDomain(host, "yangkeduo.com") || isDomain(host, "pinduoduo.com")) {
    return /goods\d*\.html$/.test(path) ? hitOrNull("pinduoduo", query.get("goods_id")) : null;
  }
  if (isDomain(host, "goofish.com")) {
    return path === "/item" ? hitOrNull("xianyu", query.get("id")) : null;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Wrapped links (url=, productLink=, ...), possibly encoded twice, in the query or in a #/route?query

const WRAPPER_KEYS = ["url", "productlink", "producturl", "goodsurl", "itemurl", "link", "target"];

/** The query parameters of both the search part and a hash route (`#/goodsDetail?url=...`). */
function queryOf(url: URL): URLSearchParams {
  const merged = new URLSearchParams(url.search);
  const hashQuery = url.hash.indexOf("?");
  if (hashQuery >= 0) for (const [k, v] of new URLSearchParams(url.hash.slice(hashQuery + 1))) merged.append(k, v);
  return merged;
}

function wrappedLinks(url: URL): string[] {
  const found: string[] = [];
  const raw = url.search + url.hash;
  for (const key of WRAPPER_KEYS) {
    // Unencoded inner link ("...&url=https://item.taobao.com/item.htm?spm=x&id=1"): it runs to the end.
    const plain = new RegExp(`[?&#]${key}=(https?://.*)$`, "i").exec(raw);
    if (plain?.[1]) found.push(plain[1]);
  }
  for (const [key, value] of queryOf(url)) {
    if (!WRAPPER_KEYS.includes(key.toLowerCase())) continue;
    let inner = value;
    for (let i = 0; i < 3 && /^https?%3A/i.test(inner); i++) {
      try {
        inner = decodeURIComponent(inner);
      } catch {
        break;
      }
    }
    if (/^https?:\/\//i.test(inner)) found.push(inner);
  }
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Shopping agents: their own path forms and platform parameters

/** Agents name the platform in many spellings: taobao/TB/TAOBAO, ali_1688/AL/1688, weidian/WD/micro. */
function platformFromWord(word: string | null | undefined): Platform | null {
  if (word === null || word === undefined) return null;
  switch (word.toLowerCase()) {
    case "taobao":
    case "tb":
    case "item":
      return "taobao";
    case "tmall":
    case "tm":
      return "tmall";
    case "1688":
    case "ali_1688":
    case "ali1688":
    case "alibaba":
    case "al":
      return "1688";
    case "weidian":
    case "wd":
    case "micro":
      return "weidian";
    default:
      return null;
  }
}

const PLATFORM_KEYS = ["shop_type", "platform", "source", "channel", "tp", "type", "shoptype"];
const ID_KEYS = ["id", "goodsId", "itemID", "itemId", "offerId", "keyword"];

function firstParam(query: URLSearchParams, keys: string[]): string | null {
  for (const key of keys) {
    const value = query.get(key);
    if (value !== null && value !== "") return value;
  }
  return null;
}

/** The common agent form: a platform word in one parameter and the goods ID in another. */
function fromParams(query: URLSearchParams): Hit | null {
  for (const key of PLATFORM_KEYS) {
    const platform = platformFromWord(query.get(key));
    if (platform !== null) return hitOrNull(platform, firstParam(query, ID_KEYS));
  }
  return null;
}

interface Agent {
  domain: string;
  parse: (url: URL, query: URLSearchParams) => Hit | null;
}

const byParams: Agent["parse"] = (_url, query) => fromParams(query);

/** Numeric platform codes in hoobuy paths: 0 = 1688, 1 = Taobao, 2 = Weidian. */
const HOOBUY_CODES: Record<string, Platform> = { "0": "1688", "1": "taobao", "2": "weidian" };

const AGENTS: Agent[] = [
  {
    domain: "cssbuy.com",
    parse: (url, query) => {
      // item-<id>.html (Taobao), item-1688-<id>.html, item-micro-<id>.html (Weidian), item-taobao-<id>.html
      const m = /^\/item-(?:(1688|micro|taobao|tmall|weidian)-)?([0-9]+)(?:\.html?)?$/i.exec(url.pathname);
      if (m) return hitOrNull(platformFromWord(m[1] ?? "taobao") ?? "taobao", m[2]);
      if (/goodsDetail/i.test(url.pathname)) return fromParams(query);
      return null;
    },
  },
  {
    domain: "hoobuy.com",
    parse: (url) => {
      const m = /^(?:\/m)?\/product\/([0-2])\/([0-9]+)\/?$/.exec(url.pathname);
      const platform = m?.[1] === undefined ? undefined : HOOBUY_CODES[m[1]];
      return m && platform ? hitOrNull(platform, m[2]) : null;
    },
  },
  {
    domain: "oopbuy.com",
    parse: (url, query) => {
      const m = /\/product\/([a-z0-9_]+)\/([0-9]+)\/?$/i.exec(url.pathname);
      if (m?.[1] !== undefined) {
        const platform = m[1] === "1" ? "taobao" : m[1] === "2" ? "weidian" : platformFromWord(m[1]);
        return platform === null ? null : hitOrNull(platform, m[2]);
      }
      return fromParams(query);
    },
  },
  {
    domain: "basetao.com",
    parse: (url) => {
      const m = /\/agent\/(taobao|tmall|weidian|1688)\/([0-9]+)\.html$/i.exec(url.pathname);
      return m ? hitOrNull(platformFromWord(m[1]) ?? "taobao", m[2]) : null;
    },
  },
  {
    domain: "hubbuycn.com",
    parse: (url, query) => {
      const m = /^\/(taobao|weidian|1688)ID=([0-9]+)/i.exec(url.pathname);
      return m ? hitOrNull(platformFromWord(m[1]) ?? "taobao", m[2]) : fromParams(query);
    },
  },
  ...[
    "cnfans.com",
    "mulebuy.com",
    "joyabuy.com",
    "orientdig.com",
    "lovegobuy.com",
    "acbuy.com",
    "allchinabuy.com",
    "superbuy.com",
    "wegobuy.com",
    "sugargoo.com",
    "esugargoo.com",
    "pandabuy.com",
    "kakobuy.com",
    "sifubuy.com",
    "eastmallbuy.com",
    "cnshopper.com",
    "kameymall.com",
    "litbuy.com",
    "itaobuy.com",
    "usfans.com",
  ].map((domain): Agent => ({ domain, parse: byParams })),
];
