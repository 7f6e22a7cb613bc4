// The catalogue, QC records and image search, called directly on an in-memory SQLite store (no server).
import { beforeAll, describe, expect, it } from "vitest";
import {
  catalogueIds,
  GOODS_PER_SOURCE,
  generateGoods,
  isMissingGoods,
  SOURCES,
} from "../../mock/sandbox/domain/catalogue.ts";
import { type Domain, installDomain } from "../../mock/sandbox/domain/index.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import { loadBundledSpec } from "../helpers.ts";
import { createSpecValidator } from "../spec/spec-ajv.ts";

const spec = loadBundledSpec();
const validator = createSpecValidator(spec);
const schema = (name: string) => spec.components.schemas[name];
const example = (name: string) => spec.components.examples[name].value;

let domain: Domain;
beforeAll(async () => {
  domain = await installDomain(await openStore(":memory:"));
});

/** Unwraps a success answer, failing with the business error otherwise. */
async function data<T>(answer: { ok: true; data: T } | { ok: false; code: number; msg: string } | Promise<unknown>) {
  const settled = (await answer) as { ok: true; data: T } | { ok: false; code: number; msg: string };
  if (!settled.ok) throw new Error(`business error ${settled.code} ${settled.msg}`);
  return settled.data;
}

describe("goods catalogue", () => {
  it("holds at least 1,000 goods over the three sources, every ID distinct", () => {
    const all = SOURCES.flatMap((s) => catalogueIds(s).map((id) => `${s}:${id}`));
    expect(all.length).toBe(3 * GOODS_PER_SOURCE);
    expect(all.length).toBeGreaterThanOrEqual(1000);
    expect(new Set(all).size).toBe(all.length);
  });

  it('answers goods "123456" of source 1 exactly as the spec example', async () => {
    expect(await data(domain.goodsDetail({ goodsId: "123456", source: 1 }))).toEqual(
      example("GetGoodsDetailResponse").data,
    );
  });

  it("answers every catalogue goods item valid against the spec, with yuan and cents that agree", async () => {
    for (const source of SOURCES) {
      for (const goodsId of catalogueIds(source)) {
        const goods = await data(domain.goodsDetail({ goodsId, source }));
        expect(validator.validate(schema("GoodsDetail"), goods)).toEqual([]);
        expect(goods.goodsId).toBe(goodsId);
        expect(goods.goodsSource).toBe(source);
        expect(Math.round(Number(goods.price) * 100)).toBe(goods.priceInCents);
        expect(Number(goods.orginalPrice)).toBeGreaterThanOrEqual(Number(goods.price));
      }
    }
  });

  it("synthesises a well-formed ID outside the catalogue from the ID: same ID, same goods", async () => {
    const first = await data(domain.goodsDetail({ goodsId: "768650559131", source: 1 }));
    const again = await data(domain.goodsDetail({ goodsId: "768650559131", source: 1 }));
    const other = await data(domain.goodsDetail({ goodsId: "768650559132", source: 1 }));
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(first).toEqual(generateGoods("768650559131", 1));
    expect(validator.validate(schema("GoodsDetail"), first)).toEqual([]);
  });

  it("answers GOODS_NOT_EXISTS for the documented IDs", async () => {
    for (const goodsId of ["404", "1000404", "768650559404", "abc", "00123", "12a45", "123456789012345678901"]) {
      expect(isMissingGoods(goodsId, 1)).toBe(true);
      expect(await domain.goodsDetail({ goodsId, source: 1 })).toEqual({
        ok: false,
        code: 1008005000,
        msg: "Goods does not exist",
      });
    }
    // The not-found checker must be able to say "exists" too.
    expect(isMissingGoods("123456", 1)).toBe(false);
    expect(isMissingGoods("768650559131", 2)).toBe(false);
  });
});

describe("QC records", () => {
  it("answers the spec example as the latest QC of goods 123456, and its images", async () => {
    expect(await data(domain.qcDetail({ goodsId: "123456", source: 1 }))).toEqual(
      example("GetGoodsQcDetailResponse").data,
    );
    expect(await data(domain.qcImages({ goodsId: "123456", source: 1 }))).toEqual(
      example("ListGoodsQcImagesResponse").data,
    );
  });

  it("answers QC_NOT_EXISTS and an empty image list for goods without QC", async () => {
    expect(await domain.qcDetail({ goodsId: "768650559131", source: 1 })).toEqual({
      ok: false,
      code: 1008006000,
      msg: "QC data does not exist",
    });
    expect(await data(domain.qcImages({ goodsId: "768650559131", source: 1 }))).toEqual([]);
  });

  it("spreads records over months, newest completion first then goods ID, with a correct total", async () => {
    const all = await data(domain.qcPage({ pageNo: 1, pageSize: 100 }));
    expect(all.total).toBeGreaterThan(1000);
    const months = new Set<string>();
    const seen: { completionTime: string; goodsId: string }[] = [];
    for (let pageNo = 1; (pageNo - 1) * 100 < all.total; pageNo++) {
      const page = await data(domain.qcPage({ pageNo, pageSize: 100 }));
      expect(page.total).toBe(all.total);
      for (const record of page.list) {
        expect(validator.validate(schema("QcDetail"), record)).toEqual([]);
        months.add(record.completionTime.slice(0, 7));
        seen.push(record);
      }
    }
    expect(seen.length).toBe(all.total);
    expect(months.size).toBeGreaterThanOrEqual(10);
    for (let i = 1; i < seen.length; i++) {
      const a = seen[i - 1] as (typeof seen)[number];
      const b = seen[i] as (typeof seen)[number];
      const ordered =
        a.completionTime > b.completionTime || (a.completionTime === b.completionTime && a.goodsId <= b.goodsId);
      expect(ordered, `record ${i} out of order`).toBe(true);
    }
    expect(await data(domain.qcPage({ pageNo: Math.ceil(all.total / 100) + 1, pageSize: 100 }))).toEqual({
      list: [],
      total: all.total,
    });
  });

  it("answers the guide's page request with exactly the example record", async () => {
    const page = await data(domain.qcPage(example("PageGoodsQcRequest")));
    expect(page.total).toBe(1);
    expect(page.list[0]).toEqual(example("GetGoodsQcDetailResponse").data);
  });

  it("filters by goods ID, source, creation range and completion range, combined with AND", async () => {
    const history = await data(domain.qcPage({ pageNo: 1, pageSize: 20, goodsId: "123456", source: 1 }));
    expect(history.total).toBe(3);
    expect(history.list.every((r) => r.goodsId === "123456")).toBe(true);
    const june = await data(domain.qcPage(example("PageGoodsQcRequestByGoods")));
    expect(june.total).toBe(1);

    const bySource = await data(domain.qcPage({ pageNo: 1, pageSize: 100, source: 3 }));
    const weidian = new Set(catalogueIds(3));
    expect(bySource.list.every((r) => weidian.has(r.goodsId))).toBe(true);
    const totals = await Promise.all(
      SOURCES.map(async (source) => (await data(domain.qcPage({ pageNo: 1, pageSize: 1, source }))).total),
    );
    const everything = (await data(domain.qcPage({ pageNo: 1, pageSize: 1 }))).total;
    expect(totals.reduce((a, b) => a + b, 0)).toBe(everything);

    const range: [string, string] = ["2026-03-01 00:00:00", "2026-03-31 23:59:59"];
    const march = await data(domain.qcPage({ pageNo: 1, pageSize: 100, completionTime: range }));
    expect(march.total).toBeGreaterThan(0);
    expect(march.list.every((r) => r.completionTime >= range[0] && r.completionTime <= range[1])).toBe(true);
    const marchCreated = await data(domain.qcPage({ pageNo: 1, pageSize: 1, createTime: range }));
    const both = await data(domain.qcPage({ pageNo: 1, pageSize: 1, createTime: range, completionTime: range }));
    expect(both.total).toBeLessThanOrEqual(Math.min(march.total, marchCreated.total));
    expect(both.total).toBeGreaterThan(0);

    const reversed = await data(
      domain.qcPage({ pageNo: 1, pageSize: 10, completionTime: ["2026-03-31 23:59:59", "2026-03-01 00:00:00"] }),
    );
    expect(reversed).toEqual({ list: [], total: 0 });
  });
});

describe("image search", () => {
  const query = { imagesUrl: "https://example.com/img/query.jpg", page: 1, source: 2 as const };

  it("pages deterministically through catalogue goods of the requested source", async () => {
    const first = await data(domain.searchByImage(query));
    expect(await data(domain.searchByImage(query))).toEqual(first);
    expect(validator.validate(schema("ImageSearchPage"), first)).toEqual([]);
    expect(first).toMatchObject({ page: 1, size: 20, totalCount: 100, totalPage: 5 });
    const ids = new Set<string>();
    const catalogue = new Set(catalogueIds(2));
    for (let page = 1; page <= first.totalPage; page++) {
      const answer = await data(domain.searchByImage({ ...query, page }));
      for (const hit of answer.goodsList) {
        expect(hit.goodsSource).toBe(2);
        expect(catalogue.has(hit.goodsId)).toBe(true);
        expect(hit.discountPriceInCents).toBeLessThanOrEqual(hit.priceInCents);
        if (!hit.hasDiscount) expect(hit.discountPriceInCents).toBe(hit.priceInCents);
        ids.add(hit.goodsId);
      }
    }
    expect(ids.size).toBe(100);
    expect((await data(domain.searchByImage({ ...query, page: 6 }))).goodsList).toEqual([]);
  });

  it("orders results differently for a different image", async () => {
    const a = await data(domain.searchByImage(query));
    const b = await data(domain.searchByImage({ ...query, imagesUrl: "https://example.com/img/other.png" }));
    expect(b.goodsList.map((g) => g.goodsId)).not.toEqual(a.goodsList.map((g) => g.goodsId));
  });
});

describe("goods link parsing", () => {
  it("answers the spec example exactly, and the business error for a short link", async () => {
    expect(await data(domain.parseGoodsUrl(example("ParseGoodsUrlRequest")))).toEqual(
      example("ParseGoodsUrlResponse").data,
    );
    expect(await domain.parseGoodsUrl({ searchUrl: "https://m.tb.cn/h.5AbCdEf" })).toEqual({
      ok: false,
      code: 1008010000,
      msg: "Failed to parse product URL",
    });
  });
});
