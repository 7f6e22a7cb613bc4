// The shapes shopping agents give their goods links, read on any host: the platform named in a parameter or a
// path segment, the goods ID in a parameter or the segment after it. Nothing here knows a site by name.
//
//   ?shop_type=taobao&id=<id>           cnfans, mulebuy, joyabuy, orientdig, lovegobuy, ... (any parameter name
//   ?platform=ALI_1688&id=<id>          that says "platform": *type, *platform, *source, *channel, *mall, tp, ...)
//   ?source=WD&id=<id>                  acbuy (short codes only in such a parameter)
//   #/details?type=1&offerId=<id>       panglobalbuy (a hash route's parameters count too)
//   /product/weidian/<id>               oopbuy, hipobuy, gtbuy (a platform word, then the ID)
//   /product/1/<id>                     hoobuy, ponybuy, usfans (a digit after a goods segment, then the ID)
//   /agent/taobao/<id>.html             basetao
//   /item-1688-<id>.html, /taobaoID=<id> cssbuy, hubbuy (word and ID in one segment)
//
// A link is answered only when exactly one platform is named (Taobao and Tmall agree) and exactly one plausible
// goods ID is found; two platforms, two IDs, none of either, or a search or store page: refused, never guessed.
import { bareSegment, type LinkView } from "./link-view.ts";
import { type Hit, type Platform, plausibleId } from "./platforms.ts";
import { type CodeTable, platformParamValue, platformWord } from "./spellings.ts";

/** Parameter names (lower case, without `_`/`-`) that hold a platform: shop_type, shoptype, platform, source, ... */
const PLATFORM_KEY =
  /^(?:[a-z]*(?:type|platform|source|channel|mall|market|marketplace)(?:id|code|name)?|tp|plat|site|src)$/;
/**
 * On a host with no digit table of its own, a digit counts only under a name that can mean nothing but the
 * platform (`platform=1`, `shop_type=2`): `type=1&id=...` or `source=2&id=...` is too common on other sites
 * (an article type, a traffic source) to be read as Taobao or Weidian.
 */
const UNAMBIGUOUS_PLATFORM_KEY = /platform|shoptype|mall|market|goodssource|itemsource/;
/** Parameter names that hold the goods ID on some agent. */
const ID_KEYS = new Set([
  "id",
  "itemid",
  "goodsid",
  "offerid",
  "productid",
  "numiid",
  "iid",
  "spuno",
  "spuid",
  "itemno",
  "goodsno",
  "productno",
]);
/** Other names that say "goods" (commodityId, item_num_id, goods_code, keyword on cnshopper) are a weaker sign. */
const GOODS_WORD_KEY = /goods|item|product|offer|spu|commodity|keyword/;
/** ...unless they name something else: a SKU, a shop, a seller, a user, a referral, a category, a price. */
const NOT_GOODS_KEY = /sku|shop|seller|store|user|member|invite|share|ref|order|cat|price|page|size|count|time/;
/** Path segments that say "a goods page"; after one, a digit is a platform code and a number can be the ID. */
const GOODS_SEGMENT = /^(?:products?|goods|items?|details?|(?:goods|product|item)-?details?)$/;
/** Path segments that say "not one goods item": a search, a store, a list. */
const NOT_GOODS_SEGMENT = /^(?:search|shops?|stores?|shop-?detail|shop-?info|sellers?|categor(?:y|ies)|list)$/;

const normalKey = (key: string): string => key.toLowerCase().replace(/[_-]/g, "");

/** Collects distinct values; `size` > 1 means the link is ambiguous. */
class Distinct<T> {
  readonly values = new Set<T>();
  add(value: T | null | undefined): void {
    if (value !== null && value !== undefined) this.values.add(value);
  }
  get size(): number {
    return this.values.size;
  }
  get only(): T | undefined {
    return this.values.size === 1 ? (this.values.values().next().value as T) : undefined;
  }
}

/** The decimal run at the end of a segment ("taobaoid=726526607194" -> 726526607194), found without a regex. */
function trailingDigits(segment: string): string {
  let start = segment.length;
  while (start > 0) {
    const c = segment.charCodeAt(start - 1);
    if (c < 48 || c > 57) break;
    start--;
  }
  return segment.slice(start);
}

/**
 * One segment holding both: item-1688-<id>, item-micro-<id>, weidian_<id>, and hubbuy's taobaoID=<id>, which
 * carries its own `&name=value` tail in the path.
 */
function combinedSegment(segment: string): Hit | null {
  const ampersand = segment.indexOf("&");
  const bare = bareSegment(ampersand < 0 ? segment : segment.slice(0, ampersand));
  const id = trailingDigits(bare);
  if (!plausibleId(id)) return null;
  const word = bare
    .slice(0, bare.length - id.length)
    .replace(/[-_=:]$/, "")
    .replace(/id$/, "")
    .replace(/[-_=:]$/, "")
    .replace(/^(?:item|product|goods)s?[-_]/, "");
  const platform = word === "" ? null : platformWord(word);
  return platform === null ? null : { platform, id };
}

/** The last segment that tells the page's kind decides: /shop/goodsDetail is a goods page, /store/taobao/1 not. */
function isGoodsPage(segments: string[]): boolean {
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = bareSegment(segments[i] as string);
    if (GOODS_SEGMENT.test(segment)) return true;
    if (NOT_GOODS_SEGMENT.test(segment)) return false;
  }
  return true;
}

/** Taobao and Tmall share one ID space: when both are named, Tmall (the more precise) wins. */
function onePlatform(platforms: Distinct<Platform>): Platform | null {
  if (platforms.size === 2 && platforms.values.has("taobao") && platforms.values.has("tmall")) return "tmall";
  return platforms.only ?? null;
}

/**
 * Reads an agent link by its shape. `codes` says what a digit means on this host; `siteCodes` tells whether that
 * table is the site's own (then a digit counts under any platform parameter name).
 */
export function readAgentShape(view: LinkView, codes: CodeTable, siteCodes: boolean): Hit | null {
  const { segments, params } = view;
  if (!isGoodsPage(segments)) return null;

  const platforms = new Distinct<Platform>();
  const pathIds = new Distinct<string>();
  const strongIds = new Distinct<string>();
  const weakIds = new Distinct<string>();
  const goodsSegmentIds = new Distinct<string>();

  for (const [key, value] of params) {
    const name = normalKey(key);
    if (name.startsWith("utm")) continue;
    if (PLATFORM_KEY.test(name)) {
      const digits = siteCodes || UNAMBIGUOUS_PLATFORM_KEY.test(name) ? codes : null;
      platforms.add(platformParamValue(value, digits));
    }
    if (!plausibleId(value)) continue;
    if (ID_KEYS.has(name)) strongIds.add(value);
    else if (GOODS_WORD_KEY.test(name) && !NOT_GOODS_KEY.test(name)) weakIds.add(value);
  }

  for (let i = 0; i < segments.length; i++) {
    const segment = bareSegment(segments[i] as string);
    const next = segments[i + 1] === undefined ? "" : bareSegment(segments[i + 1] as string);
    const previous = i === 0 ? "" : bareSegment(segments[i - 1] as string);
    const combined = combinedSegment(segment);
    if (combined !== null) {
      platforms.add(combined.platform);
      pathIds.add(combined.id);
      continue;
    }
    const word = platformWord(segment);
    const code = /^[0-9]$/.test(segment) && GOODS_SEGMENT.test(previous) ? (codes[segment] ?? null) : null;
    const named = word ?? code;
    if (named !== null && plausibleId(next)) {
      platforms.add(named);
      pathIds.add(next);
    } else if (word !== null) {
      platforms.add(word);
    }
    if (plausibleId(segment) && GOODS_SEGMENT.test(previous)) goodsSegmentIds.add(segment);
  }

  const platform = onePlatform(platforms);
  if (platform === null) return null;
  const id = chooseId(pathIds, strongIds, weakIds, goodsSegmentIds);
  return id === null ? null : { platform, id };
}

/**
 * The goods ID by the strength of its sign: in the path next to the platform, or under an ID parameter name
 * (these two must agree), else under a name that says "goods", else after a goods segment (`/item/<id>.html`).
 * Two different IDs at the sign that decides: refused.
 */
function chooseId(
  path: Distinct<string>,
  named: Distinct<string>,
  goodsWord: Distinct<string>,
  afterGoodsSegment: Distinct<string>,
): string | null {
  if (path.size > 1 || named.size > 1) return null;
  if (path.only !== undefined && named.only !== undefined && path.only !== named.only) return null;
  const best = path.only ?? named.only;
  if (best !== undefined) return best;
  if (goodsWord.size > 0) return goodsWord.only ?? null;
  return afterGoodsSegment.only ?? null;
}
