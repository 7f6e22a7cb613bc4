// The goods catalogue: 1,500 goods (500 per source) generated from a seeded PRNG on demand, never stored.
// Goods "123456" of source 1 is the spec's example, field for field. A well-formed ID outside the catalogue
// answers goods synthesised from the ID (same ID, same goods); the documented not-found IDs answer
// GOODS_NOT_EXISTS so that path can be tested.
import type { SuccessData } from "../operation-types.ts";
import { seededRng } from "./prng.ts";

export type GoodsSource = 1 | 2 | 3;
export type GoodsDetail = SuccessData<"getGoodsDetail">;
export type ImageSearchHit = SuccessData<"searchGoodsByImage">["goodsList"][number];

export const SOURCES: readonly GoodsSource[] = [1, 2, 3];
export const GOODS_PER_SOURCE = 500;
/** The spec's example goods: the first catalogue entry of source 1. */
export const EXAMPLE_GOODS_ID = "123456";

// Catalogue IDs are base + index * stride, so membership is arithmetic instead of a lookup table.
const ID_BASE: Record<GoodsSource, bigint> = { 1: 600000000000n, 2: 700000000000n, 3: 7200000000n };
const ID_STRIDE = 7919n;

const idsBySource = new Map<GoodsSource, readonly string[]>();

/** The catalogue goods IDs of a source, in catalogue order (a fresh copy: callers may shuffle it). */
export function catalogueIds(source: GoodsSource): string[] {
  let ids = idsBySource.get(source);
  if (ids === undefined) {
    ids = Array.from({ length: GOODS_PER_SOURCE }, (_, i) => catalogueId(source, i));
    idsBySource.set(source, ids);
  }
  return [...ids];
}

function catalogueId(source: GoodsSource, index: number): string {
  if (source === 1 && index === 0) return EXAMPLE_GOODS_ID;
  return String(ID_BASE[source] + BigInt(index) * ID_STRIDE);
}

/** The index of a goods item in its source's catalogue, or -1 when it is not in the catalogue. */
export function catalogueIndex(goodsId: string, source: GoodsSource): number {
  if (goodsId === EXAMPLE_GOODS_ID) return source === 1 ? 0 : -1;
  if (!/^[1-9][0-9]{0,19}$/.test(goodsId)) return -1;
  const offset = BigInt(goodsId) - ID_BASE[source];
  // Index 0 of source 1 is the example goods, not the base ID.
  if (offset < 0n || (source === 1 && offset === 0n) || offset % ID_STRIDE !== 0n) return -1;
  const index = offset / ID_STRIDE;
  return index < BigInt(GOODS_PER_SOURCE) ? Number(index) : -1;
}

/** Real platform goods IDs are decimal numbers; anything else cannot be a goods item. */
const WELL_FORMED_ID = /^[1-9][0-9]{0,19}$/;

/**
 * IDs that answer GOODS_NOT_EXISTS: anything that is not a decimal number without leading zero (up to 20 digits),
 * and every ID outside the catalogue that ends in "404" (e.g. "404", "1000404").
 */
export function isMissingGoods(goodsId: string, source: GoodsSource): boolean {
  if (!WELL_FORMED_ID.test(goodsId)) return true;
  return catalogueIndex(goodsId, source) < 0 && goodsId.endsWith("404");
}

const STYLES = ["2026 Summer", "Autumn", "Vintage", "Oversized", "Slim-fit", "Unisex", "Classic", "Streetwear"];
const MATERIALS = ["Cotton", "Linen", "Leather", "Denim", "Wool", "Canvas", "Nylon", "Silk"];
const ITEMS = ["T-Shirt", "Hoodie", "Sneakers", "Backpack", "Jacket", "Jeans", "Cap", "Wallet", "Scarf", "Watch"];
const POST_FEES = [0, 0, 0, 600, 800, 1000, 1200];

const cents = (amount: number): string => `${Math.floor(amount / 100)}.${String(amount % 100).padStart(2, "0")}`;

export function detailUrl(goodsId: string, source: GoodsSource): string {
  if (source === 1) return `https://item.taobao.com/item.htm?id=${goodsId}`;
  if (source === 2) return `https://detail.1688.com/offer/${goodsId}.html`;
  return `https://weidian.com/item.html?itemID=${goodsId}`;
}

/** Freezes a value and everything in it, so that a shared answer can be handed out without copying it. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Object.isFrozen(value)) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

export class Catalogue {
  private readonly example: GoodsDetail;
  private readonly hits = new Map<string, ImageSearchHit>();

  constructor(example: GoodsDetail) {
    // Frozen and shared rather than cloned per call: the goods-detail hot path answers it thousands of times a
    // second, and nothing downstream changes a domain answer (a write would throw).
    this.example = deepFreeze(structuredClone(example));
  }

  /** The goods item, or null for the documented not-found IDs. */
  goods(goodsId: string, source: GoodsSource): GoodsDetail | null {
    if (goodsId === EXAMPLE_GOODS_ID && source === 1) return this.example;
    if (isMissingGoods(goodsId, source)) return null;
    return generateGoods(goodsId, source);
  }

  /** The same goods as an image-search hit (adds the promotion fields). */
  searchHit(goodsId: string, source: GoodsSource): ImageSearchHit {
    // Image search only ever returns catalogue goods (at most GOODS_PER_SOURCE per source), so the hits are made
    // once, frozen and shared: no goods generated per hit per call, and their JSON is serialised once (json-once.ts).
    const key = `${source}:${goodsId}`;
    let hit = this.hits.get(key);
    if (hit === undefined) {
      hit = deepFreeze(this.makeSearchHit(goodsId, source));
      this.hits.set(key, hit);
    }
    return hit;
  }

  private makeSearchHit(goodsId: string, source: GoodsSource): ImageSearchHit {
    const goods = this.goods(goodsId, source) ?? generateGoods(goodsId, source);
    const rng = seededRng(`discount:${source}:${goodsId}`);
    const hasDiscount = rng.next() < 0.4;
    const discountPriceInCents = hasDiscount
      ? Math.round((goods.priceInCents * rng.int(70, 95)) / 100)
      : goods.priceInCents;
    return {
      goodsId: goods.goodsId,
      goodsTitle: goods.goodsTitle,
      goodsDetailUrl: goods.goodsDetailUrl,
      goodsPicUrl: goods.goodsPicUrl,
      goodsSource: goods.goodsSource,
      price: goods.price,
      priceInCents: goods.priceInCents,
      originPriceInCents: Math.round(Number(goods.orginalPrice) * 100),
      salesCount: goods.salesCount,
      hasDiscount,
      discountPriceInCents,
    };
  }
}

/** Goods data from the ID alone: the yuan strings are formatted from the cent amounts, so they always agree. */
export function generateGoods(goodsId: string, source: GoodsSource): GoodsDetail {
  const rng = seededRng(`goods:${source}:${goodsId}`);
  const priceInCents = rng.int(5, 99_990) * 10;
  const originalInCents = priceInCents + rng.int(0, 4) * Math.max(100, Math.round(priceInCents / 1000) * 100);
  const imageCount = rng.int(2, 5);
  const images: string[] = [];
  for (let i = 1; i <= imageCount; i++) images.push(`https://example.com/img/${source}/${goodsId}/${i}.jpg`);
  return {
    goodsId,
    goodsTitle: `${rng.pick(STYLES)} ${rng.pick(MATERIALS)} ${rng.pick(ITEMS)}`,
    goodsDetailUrl: detailUrl(goodsId, source),
    goodsPicUrl: `https://example.com/img/${source}/${goodsId}/main.jpg`,
    price: cents(priceInCents),
    priceInCents,
    orginalPrice: cents(originalInCents),
    stockNum: String(rng.int(0, 9999)),
    salesCount: String(rng.int(0, 50_000)),
    goodsImageUrlList: images,
    postFee: cents(rng.pick(POST_FEES)),
    goodsSource: source,
  };
}
