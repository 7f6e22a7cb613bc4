// The goods platforms themselves: their hosts, their goods-page shapes, their canonical detail pages, and the
// source codes of the guide (7.6: 1 = Taobao, 2 = 1688, 3 = Weidian, 4 = other). The first thing the parser asks of
// a link: is it a platform's own page? If so, the platform's rule is the whole answer.

export type ParsedSourceCode = 1 | 2 | 3 | 4;
export type ParsedSourceName = "taobao" | "alibaba" | "weidian" | "other";

/** Where a link points once every wrapper is peeled off. `tmall` keeps Tmall links on detail.tmall.com. */
export type Platform = "taobao" | "tmall" | "1688" | "weidian" | "jd" | "pinduoduo" | "xianyu";

export interface Hit {
  platform: Platform;
  id: string;
}

export const SOURCE_OF: Record<Platform, { goodsSource: ParsedSourceCode; goodsSourceName: ParsedSourceName }> = {
  taobao: { goodsSource: 1, goodsSourceName: "taobao" },
  tmall: { goodsSource: 1, goodsSourceName: "taobao" },
  "1688": { goodsSource: 2, goodsSourceName: "alibaba" },
  weidian: { goodsSource: 3, goodsSourceName: "weidian" },
  jd: { goodsSource: 4, goodsSourceName: "other" },
  pinduoduo: { goodsSource: 4, goodsSourceName: "other" },
  xianyu: { goodsSource: 4, goodsSourceName: "other" },
};

/** The goods' page on its own platform (`goodsDetailUrl`). */
export function canonicalUrl({ platform, id }: Hit): string {
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

/**
 * A plausible goods ID: decimal, no leading zero, 5 to 20 digits. Taobao, Tmall, 1688 and Weidian IDs seen in
 * the wild are 9 to 12 digits; anything shorter than 5 digits is a page number, a code or a count, not goods.
 */
const GOODS_ID = /^[1-9][0-9]{4,19}$/;

export function plausibleId(value: string | null | undefined): value is string {
  return value !== null && value !== undefined && GOODS_ID.test(value);
}

function hitOrNull(platform: Platform, id: string | null | undefined): Hit | null {
  return plausibleId(id) ? { platform, id } : null;
}

export function isDomain(host: string, domain: string): boolean {
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * Short links name their goods only after a network redirect. The sandbox answers them from its fixture table
 * (and, when configured to, by following the redirect); the offline parser only recognises them.
 */
const SHORT_LINK_HOSTS = new Set([
  "m.tb.cn",
  "e.tb.cn",
  "tb.cn",
  "s.click.taobao.com",
  "uland.taobao.com",
  "qr.1688.com",
  "u.jd.com",
  "3.cn",
]);

export function isShortLink(host: string, path: string): boolean {
  if (SHORT_LINK_HOSTS.has(host)) return true;
  // k.youshop10.com/<code> is Weidian's short link; k.youshop10.com/item.html?itemID= is an item page.
  return isDomain(host, "youshop10.com") && !/item\.html?$/i.test(path);
}

/**
 * A parameter's value by any of its names (case-insensitive), also when an editor percent-encoded its `=` so the
 * whole pair became a name (`item.html?itemID%3D7240382968&sa=D`: Google Docs does this).
 */
function param(query: URLSearchParams, name: string): string | null {
  const lower = name.toLowerCase();
  for (const [key, value] of query) {
    const k = key.toLowerCase();
    if (k === lower) return value;
    if (value === "" && k.startsWith(`${lower}=`)) return key.slice(lower.length + 1);
  }
  return null;
}

/**
 * Links of the goods platforms themselves. `undefined`: not a platform host, keep looking. `null`: a platform host
 * but not one goods item (a store, a search, a share page): no agent shape is read on it, only a link it wraps
 * (Taobao's share page carries the item page in `targetUrl=`).
 */
export function parsePlatformUrl(host: string, url: URL): Hit | null | undefined {
  const path = url.pathname;
  const query = url.searchParams;
  if (isDomain(host, "tmall.com") || isDomain(host, "tmall.hk")) {
    // Store subdomains (nike.tmall.com/shop/...) carry no `id=`: refused.
    return /item(?:_o)?\.htm|detail/i.test(path) || host.startsWith("detail.") || host.includes(".detail.")
      ? hitOrNull("tmall", param(query, "id"))
      : null;
  }
  if (isDomain(host, "taobao.com")) {
    if (host === "s.taobao.com" || /^shop\d*\./.test(host) || /(?:^|\/)search/i.test(path)) return null;
    // world.taobao.com/item/<id>.htm, www.taobao.com/list/item/<id>.htm, a.m.taobao.com/i<id>.htm
    const inPath = /\/item\/([0-9]+)\.html?$/.exec(path) ?? /^\/i([0-9]+)\.html?$/.exec(path);
    if (inPath) return hitOrNull("taobao", inPath[1]);
    if (host === "2.taobao.com" || host === "2.m.taobao.com") return hitOrNull("xianyu", param(query, "id"));
    return hitOrNull("taobao", param(query, "id"));
  }
  if (isDomain(host, "1688.com")) {
    const offer = /\/offer\/([0-9]+)\.html?$/.exec(path);
    if (offer) return hitOrNull("1688", offer[1]);
    return hitOrNull("1688", param(query, "offerId"));
  }
  if (isDomain(host, "weidian.com") || isDomain(host, "youshop10.com")) {
    // Only item pages: weidian.com/?userid=..., weidian.com/s/<shop> are stores.
    if (!/item\.html?$/i.test(path)) return null;
    return hitOrNull("weidian", param(query, "itemID"));
  }
  if (isDomain(host, "jd.com") || isDomain(host, "jd.hk")) {
    const jd = /\/([0-9]+)\.html$/.exec(path);
    return jd && (host.startsWith("item.") || host.startsWith("npcitem.")) ? hitOrNull("jd", jd[1]) : null;
  }
  if (isDomain(host, "yangkeduo.com") || isDomain(host, "pinduoduo.com")) {
    return /goods\d*\.html$/.test(path) ? hitOrNull("pinduoduo", param(query, "goods_id")) : null;
  }
  if (isDomain(host, "goofish.com")) {
    return /\/item\/?$/.test(path) ? hitOrNull("xianyu", param(query, "id") ?? param(query, "itemId")) : null;
  }
  return undefined;
}
