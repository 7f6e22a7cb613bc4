// The sandbox's business behaviour (issue 5), plugged into the server through DomainPort: the catalogue, QC
// records, simulated image search, offline link parsing and coupon redemption. The server does auth, validation
// and envelopes; everything here receives an already validated body.
import { BoundedMap } from "../bounded-map.ts";
import type { DomainPort } from "../domain-port.ts";
import { exampleValue, loadSpec } from "../spec.ts";
import type { StoreEngine } from "../store-engine.ts";
import { Catalogue, deepFreeze, type GoodsDetail, type GoodsSource } from "./catalogue.ts";
import { type ImageSearchPage, searchByImage } from "./image-search.ts";
import { type QcDetail, type QcPage, QcRecords } from "./qc.ts";
import { seedRedemptionDemo } from "./redemption.ts";
import { installGoodsLinkParsing } from "./short-links/index.ts";
import { targetGoodsDetailUrl } from "./url-parser.ts";

export type Domain = DomainPort;

/**
 * Answers of pure functions of the request body over immutable demo data (QC pages, image search), kept frozen
 * for the most recent bodies: a partner paging or polling asks the same again, and a frozen answer is serialised
 * once (json-once.ts). A page of 100 QC records cost ~40 µs to assemble and serialise per call before.
 */
class AnswerMemo<T> {
  private readonly answers = new BoundedMap<string, T>(256, Number.POSITIVE_INFINITY);

  answer(body: object, compute: () => T): T {
    const key = JSON.stringify(body);
    let answer = this.answers.get(key, 0);
    if (answer === undefined) {
      answer = deepFreeze(compute());
      this.answers.set(key, answer, 0);
    }
    return answer;
  }
}

export { registerDomainAdminCommands } from "./admin-commands.ts";
export { registerShortLinkAdminCommands } from "./short-links/index.ts";

/** Business errors of the goods operations, exactly as in their `x-business-errors`. */
export const goodsErrors = {
  GOODS_NOT_EXISTS: { ok: false, code: 1008005000, msg: "Goods does not exist" },
  QC_NOT_EXISTS: { ok: false, code: 1008006000, msg: "QC data does not exist" },
  GOODS_URL_PARSE_FAILED: { ok: false, code: 1008010000, msg: "Failed to parse product URL" },
} as const;

/** The spec's named examples that the demo data reproduces exactly. */
function specExamples(): { goods: GoodsDetail; qc: QcDetail } {
  const spec = loadSpec();
  // The spec tests validate every example against its schema; the casts restate what they prove.
  const goods = (exampleValue(spec, "GetGoodsDetailResponse") as { data: GoodsDetail }).data;
  const qc = (exampleValue(spec, "GetGoodsQcDetailResponse") as { data: QcDetail }).data;
  return { goods, qc };
}

/**
 * Creates the domain's demo data in the sandbox store (idempotent: safe on every start; the tables are
 * schema.ts's) and answers the business operations. The store decides how redemptions are made durable
 * (sqlite-redemptions.ts, ../postgres/redemptions.ts); everything else here is immutable demo data in memory.
 */
export async function installDomain(store: StoreEngine): Promise<Domain> {
  await seedRedemptionDemo(store.sql, Date.now());
  const examples = specExamples();
  const catalogue = new Catalogue(examples.goods);
  const qc = new QcRecords(examples.qc);
  const redemptions = store.redeemer();
  const goodsLinks = await installGoodsLinkParsing(store.sql);
  const qcPages = new AnswerMemo<QcPage>();
  const searchPages = new AnswerMemo<ImageSearchPage>();

  return {
    goodsDetail: ({ goodsId, source }) => {
      const goods = catalogue.goods(goodsId, source as GoodsSource);
      return goods === null ? goodsErrors.GOODS_NOT_EXISTS : { ok: true, data: goods };
    },
    qcDetail: ({ goodsId, source }) => {
      const latest = qc.latest(goodsId, source as GoodsSource);
      return latest === null ? goodsErrors.QC_NOT_EXISTS : { ok: true, data: latest };
    },
    qcImages: ({ goodsId, source }) => ({
      ok: true,
      data: qc.latest(goodsId, source as GoodsSource)?.qcPathList ?? [],
    }),
    qcPage: (body) => ({ ok: true, data: qcPages.answer(body, () => qc.page(body)) }),
    searchByImage: (body) => ({ ok: true, data: searchPages.answer(body, () => searchByImage(catalogue, body)) }),
    parseGoodsUrl: async ({ searchUrl, rno }) => {
      const parsed = await goodsLinks.parse(searchUrl);
      if (parsed === null) return goodsErrors.GOODS_URL_PARSE_FAILED;
      return {
        ok: true,
        data: {
          ...parsed,
          targetGoodsDetailUrl: targetGoodsDetailUrl(parsed.goodsId, parsed.goodsSource, rno),
          success: true,
        },
      };
    },
    redeem: (body, ctx) => redemptions.redeem(body, ctx),
  };
}
