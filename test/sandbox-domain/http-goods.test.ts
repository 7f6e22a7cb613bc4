// Goods, QC, image search and link parsing through the running sandbox, as a partner calls them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledSpec, startSandbox } from "../helpers.ts";
import { type Answer, bearer, call, specChecker, token } from "../sandbox/sandbox-client.ts";
import { linkCases } from "./url-parser.cases.ts";

const spec = loadBundledSpec();
const example = (name: string) => spec.components.examples[name].value;
const conforms = specChecker();

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let auth: Record<string, string>;

beforeAll(async () => {
  sandbox = await startSandbox();
  auth = bearer(await token(sandbox.baseUrl));
});
afterAll(async () => {
  await sandbox?.stop();
});

/** Sends a business call and checks the answer against the spec before any test looks at it. */
async function post(path: string, body: unknown): Promise<Answer> {
  const answer = await call(sandbox.baseUrl, path, body, auth);
  expect(conforms(path, answer)).toBeUndefined();
  return answer;
}

type QcRecord = { goodsId: string; completionTime: string };
const qcPage = async (body: Record<string, unknown>) =>
  (await post("/open-api/goods/qc-page", body)).body.data as { list: QcRecord[]; total: number };

describe("goods detail", () => {
  it('answers "123456" exactly as the spec example, an unknown ID from the ID, and the not-found IDs', async () => {
    expect((await post("/open-api/goods/detail", { goodsId: "123456", source: 1 })).body).toEqual(
      example("GetGoodsDetailResponse"),
    );
    const synthesised = await post("/open-api/goods/detail", { goodsId: "768650559131", source: 1 });
    expect(synthesised.body).toMatchObject({ code: 0, data: { goodsId: "768650559131", goodsSource: 1 } });
    expect((await post("/open-api/goods/detail", { goodsId: "768650559131", source: 1 })).body).toEqual(
      synthesised.body,
    );
    expect((await post("/open-api/goods/detail", { goodsId: "1000404", source: 2 })).body).toEqual(
      example("GoodsResponseNotFound"),
    );
  });
});

describe("QC", () => {
  it("answers the QC detail and images of the example goods, and QC_NOT_EXISTS without QC", async () => {
    expect((await post("/open-api/goods/qc-detail", { goodsId: "123456", source: 1 })).body).toEqual(
      example("GetGoodsQcDetailResponse"),
    );
    expect((await post("/open-api/goods/qc-images", { goodsId: "123456", source: 1 })).body).toEqual(
      example("ListGoodsQcImagesResponse"),
    );
    expect((await post("/open-api/goods/qc-detail", { goodsId: "768650559131", source: 1 })).body).toEqual(
      example("GetGoodsQcDetailResponseNoQc"),
    );
    expect((await post("/open-api/goods/qc-images", { goodsId: "768650559131", source: 1 })).body).toEqual({
      code: 0,
      data: [],
      msg: "",
    });
  });

  it("pages a filtered range completely: stable order, no overlap, correct total, empty past the end", async () => {
    const filter = { source: 2, completionTime: ["2026-02-01 00:00:00", "2026-05-31 23:59:59"] };
    const { total } = await qcPage({ pageNo: 1, pageSize: 1, ...filter });
    expect(total).toBeGreaterThan(30);
    const seen: QcRecord[] = [];
    const pageSize = 7;
    for (let pageNo = 1; (pageNo - 1) * pageSize < total; pageNo++) {
      const page = await qcPage({ pageNo, pageSize, ...filter });
      expect(page.total).toBe(total);
      seen.push(...page.list);
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((r) => `${r.goodsId}|${r.completionTime}`)).size).toBe(total);
    for (const [i, r] of seen.entries()) {
      expect(r.completionTime >= "2026-02-01 00:00:00" && r.completionTime <= "2026-05-31 23:59:59").toBe(true);
      const prev = seen[i - 1];
      if (prev) {
        expect(
          prev.completionTime > r.completionTime ||
            (prev.completionTime === r.completionTime && prev.goodsId <= r.goodsId),
        ).toBe(true);
      }
    }
    const past = await qcPage({ pageNo: Math.ceil(total / pageSize) + 1, pageSize, ...filter });
    expect(past).toEqual({ list: [], total });
    // The same page asked twice is the same page.
    expect(await qcPage({ pageNo: 3, pageSize, ...filter })).toEqual(await qcPage({ pageNo: 3, pageSize, ...filter }));
  });

  it("combines goodsId, source, createTime and completionTime filters with AND", async () => {
    expect((await qcPage({ pageNo: 1, pageSize: 20, goodsId: "123456" })).total).toBe(3);
    expect((await qcPage({ pageNo: 1, pageSize: 20, goodsId: "123456", source: 2 })).total).toBe(0);
    expect((await qcPage(example("PageGoodsQcRequestByGoods"))).total).toBe(1);
    const created = await qcPage({
      pageNo: 1,
      pageSize: 1,
      createTime: ["2026-07-01 00:00:00", "2026-07-31 23:59:59"],
    });
    const both = await qcPage({
      pageNo: 1,
      pageSize: 1,
      createTime: ["2026-07-01 00:00:00", "2026-07-31 23:59:59"],
      completionTime: ["2026-07-01 00:00:00", "2026-07-15 23:59:59"],
    });
    expect(created.total).toBeGreaterThan(both.total);
    expect(both.total).toBeGreaterThan(0);
    expect((await post("/open-api/goods/qc-page", example("PageGoodsQcRequest"))).body).toMatchObject({
      code: 0,
      data: { total: 1, list: [{ goodsId: "123456", completionTime: "2026-06-02 18:30:00" }] },
    });
  });

  it("refuses pageNo 0 with a 400 envelope (the server's validation)", async () => {
    const answer = await call(sandbox.baseUrl, "/open-api/goods/qc-page", { pageNo: 0, pageSize: 10 }, auth);
    expect(answer.status).toBe(400);
  });
});

describe("image search", () => {
  it("pages deterministically through 100 goods of the source, empty past the end", async () => {
    const query = { imagesUrl: "https://example.com/img/query.jpg", source: 3 };
    const ids: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const answer = await post("/open-api/goods/search-by-images", { ...query, page });
      const data = answer.body.data as { goodsList: { goodsId: string; goodsSource: number }[]; totalCount: number };
      expect(data.totalCount).toBe(100);
      expect(data.goodsList.every((g) => g.goodsSource === 3)).toBe(true);
      ids.push(...data.goodsList.map((g) => g.goodsId));
    }
    expect(new Set(ids).size).toBe(100);
    const again = await post("/open-api/goods/search-by-images", { ...query, page: 2 });
    expect((again.body.data as { goodsList: { goodsId: string }[] }).goodsList.map((g) => g.goodsId)).toEqual(
      ids.slice(20, 40),
    );
    const past = await post("/open-api/goods/search-by-images", { ...query, page: 6 });
    expect(past.body.data).toMatchObject({ goodsList: [], page: 6, totalCount: 100 });
  });

  it('answers "The image URL format is invalid" for a URL that is not an image', async () => {
    const answer = await call(
      sandbox.baseUrl,
      "/open-api/goods/search-by-images",
      { imagesUrl: "https://example.com/page.html", page: 1, source: 1 },
      auth,
    );
    expect(answer.status).toBe(400);
    expect(answer.body.msg).toContain("The image URL format is invalid");
  });
});

describe("link parsing through HTTP", () => {
  it("answers the spec example exactly", async () => {
    expect((await post("/open-api/goods/search-url-parse", example("ParseGoodsUrlRequest"))).body).toEqual(
      example("ParseGoodsUrlResponse"),
    );
  });

  it("answers every case of the link table as the parser table says", async () => {
    for (const c of linkCases) {
      const answer = await post("/open-api/goods/search-url-parse", { searchUrl: c.input, rno: "R1" });
      if (c.expect === null) {
        expect(answer.body, c.input).toEqual(example("ParseGoodsUrlResponseUnparseable"));
        continue;
      }
      expect(answer.body.code, c.input).toBe(0);
      expect(answer.body.data, c.input).toMatchObject({
        goodsId: c.expect.id,
        goodsSource: c.expect.source,
        success: true,
        targetGoodsDetailUrl: `https://www.rizzitgo.com/detailPage?goodsId=${c.expect.id}&source=${c.expect.source}&rno=R1`,
      });
    }
  });
});

describe("contract", () => {
  it("never violated the contract in the server's own response check", () => {
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });
});
