// Stand-in business logic answering the spec's named examples, used until mock/sandbox/domain/ (issue 5) exists.
// It answers the same data whatever the request: it is demo data, not behaviour.
import type { DomainPort } from "./domain-port.ts";
import type { BusinessResult, SuccessData } from "./operation-types.ts";
import { exampleValue, type OperationId, type SpecDocument } from "./spec.ts";

export function exampleDomain(spec: SpecDocument): DomainPort {
  const answer = <K extends OperationId>(name: string): BusinessResult<SuccessData<K>> => {
    // The spec tests validate every example against its schema, so the cast only restates what they prove.
    const envelope = exampleValue(spec, name) as { data: SuccessData<K> };
    return { ok: true, data: envelope.data };
  };
  return {
    goodsDetail: () => answer<"getGoodsDetail">("GetGoodsDetailResponse"),
    qcDetail: () => answer<"getGoodsQcDetail">("GetGoodsQcDetailResponse"),
    qcImages: () => answer<"listGoodsQcImages">("ListGoodsQcImagesResponse"),
    qcPage: () => answer<"pageGoodsQc">("PageGoodsQcResponse"),
    searchByImage: () => answer<"searchGoodsByImage">("SearchGoodsByImageResponse"),
    parseGoodsUrl: () => answer<"parseGoodsUrl">("ParseGoodsUrlResponse"),
    redeem: () => answer<"redeemCouponCode">("RedeemCouponCodeResponse"),
  };
}
