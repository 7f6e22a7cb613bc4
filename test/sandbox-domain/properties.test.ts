// Property tests of the domain: for any valid request body, every answer is either data valid against the spec
// or one of the operation's own business errors; paging arithmetic holds; the link parser never throws.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { type Domain, installDomain } from "../../mock/sandbox/domain/index.ts";
import { formatCst } from "../../mock/sandbox/domain/platform-time.ts";
import { parseGoodsLink } from "../../mock/sandbox/domain/url-parser.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import { loadBundledSpec } from "../helpers.ts";
import { createSpecValidator } from "../spec/spec-ajv.ts";

const spec = loadBundledSpec();
const validator = createSpecValidator(spec);
const schema = (name: string) => spec.components.schemas[name];
const errorsOf = (path: string): { code: number; message: string }[] =>
  spec.paths[path].post["x-business-errors"] ?? [];

let domain: Domain;
beforeAll(async () => {
  domain = await installDomain(await openStore(":memory:"));
});

type Answer = { ok: true; data: unknown } | { ok: false; code: number; msg: string };

function expectValid(answer: Answer, dataSchema: string, path: string): void {
  if (answer.ok) {
    expect(validator.validate(schema(dataSchema), answer.data)).toEqual([]);
    return;
  }
  expect(errorsOf(path).map((e) => [e.code, e.message])).toContainEqual([answer.code, answer.msg]);
}

const goodsId = fc
  .oneof(
    fc.string({ minLength: 1, maxLength: 64 }),
    fc.bigInt({ min: 1n, max: 10n ** 20n - 1n }).map(String),
    fc.constantFrom("123456", "600000007919", "7200000000", "404", "1000404"),
  )
  .filter((id) => id !== "0");
const source = fc.constantFrom(1 as const, 2 as const, 3 as const);
const dateTime = fc
  .integer({ min: Date.UTC(2025, 11, 1), max: Date.UTC(2026, 11, 31) })
  .map((ms) => formatCst(ms - (ms % 1000)));

describe("domain properties", () => {
  it("goods detail: valid goods with the asked ID and source, or GOODS_NOT_EXISTS", async () => {
    await fc.assert(
      fc.asyncProperty(goodsId, source, async (id, src) => {
        const answer = (await domain.goodsDetail({ goodsId: id, source: src })) as Answer;
        expectValid(answer, "GoodsDetail", "/open-api/goods/detail");
        if (answer.ok) expect(answer.data).toMatchObject({ goodsId: id, goodsSource: src });
      }),
      { numRuns: 500 },
    );
  });

  it("QC detail and images agree for any goods", async () => {
    await fc.assert(
      fc.asyncProperty(goodsId, source, async (id, src) => {
        const detail = (await domain.qcDetail({ goodsId: id, source: src })) as Answer;
        const images = (await domain.qcImages({ goodsId: id, source: src })) as Answer;
        expectValid(detail, "QcDetail", "/open-api/goods/qc-detail");
        expectValid(images, "QcImageList", "/open-api/goods/qc-images");
        expect(images.ok && images.data).toEqual(detail.ok ? (detail.data as { qcPathList: string[] }).qcPathList : []);
      }),
      { numRuns: 300 },
    );
  });

  it("QC paging: valid pages whose length follows from pageNo, pageSize and total", async () => {
    const query = fc.record(
      {
        pageNo: fc.integer({ min: 1, max: 300 }),
        pageSize: fc.integer({ min: 1, max: 100 }),
        goodsId: fc.constantFrom("123456", "600000007919", "700000000000", "7200000000", "1"),
        source,
        createTime: fc.tuple(dateTime, dateTime),
        completionTime: fc.tuple(dateTime, dateTime),
      },
      { requiredKeys: ["pageNo", "pageSize"] },
    );
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const answer = (await domain.qcPage(q)) as Answer;
        expectValid(answer, "QcPage", "/open-api/goods/qc-page");
        const page = (answer as { data: { list: unknown[]; total: number } }).data;
        const expected = Math.max(0, Math.min(q.pageSize, page.total - (q.pageNo - 1) * q.pageSize));
        expect(page.list.length).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("link parsing: any text gives a valid parsed link or the parse error, never an exception", async () => {
    const piece = fc.constantFrom(
      "https://",
      "http://",
      "item.taobao.com/item.htm?id=",
      "detail.1688.com/offer/",
      ".html",
      "weidian.com/item.html?itemID=",
      "cnfans.com/product/?shop_type=",
      "taobao",
      "&id=",
      "?url=",
      "%3A%2F%2F",
      "%25",
      "#/",
      "768650559131",
      "【淘宝】",
      " ",
      "..",
    );
    const text = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.array(piece, { maxLength: 12 }).map((p) => p.join("")),
      fc.array(fc.oneof(piece, fc.string({ maxLength: 5 })), { maxLength: 12 }).map((p) => p.join("")),
    );
    await fc.assert(
      fc.asyncProperty(text, fc.option(fc.string({ maxLength: 64 }), { nil: undefined }), async (searchUrl, rno) => {
        fc.pre(searchUrl.length > 0);
        const answer = (await domain.parseGoodsUrl({ searchUrl, ...(rno === undefined ? {} : { rno }) })) as Answer;
        expectValid(answer, "ParsedGoodsUrl", "/open-api/goods/search-url-parse");
      }),
      { numRuns: 3000 },
    );
  });

  it("link parsing refuses adversarial 2,048-character input (catastrophic backtracking would hit the timeout)", () => {
    const inputs = [
      "a.".repeat(1024),
      "https://".repeat(256),
      `https://x.com/?url=${"https%253A%252F%252F".repeat(100)}`,
      "item.taobao.com/".repeat(128),
      "-".repeat(2048),
    ];
    for (const input of inputs) expect(parseGoodsLink(input.slice(0, 2048))).toBeNull();
  });
});
