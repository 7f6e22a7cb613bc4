// What the server needs from the business logic (mock/sandbox/domain/, issue 5): one function per business
// operation, taking the validated request body and answering data or a business error. The server keeps
// authentication, validation and envelopes; the domain never sees an unauthenticated or malformed request.
import type { BusinessResult, RequestBody, SuccessData } from "./operation-types.ts";

type Answer<T> = BusinessResult<T> | Promise<BusinessResult<T>>;

export interface RedeemContext {
  appId: string;
  tenantId: string;
  clientIp: string;
  now: Date;
}

export interface DomainPort {
  goodsDetail(body: RequestBody<"getGoodsDetail">): Answer<SuccessData<"getGoodsDetail">>;
  qcDetail(body: RequestBody<"getGoodsQcDetail">): Answer<SuccessData<"getGoodsQcDetail">>;
  qcImages(body: RequestBody<"listGoodsQcImages">): Answer<SuccessData<"listGoodsQcImages">>;
  qcPage(body: RequestBody<"pageGoodsQc">): Answer<SuccessData<"pageGoodsQc">>;
  searchByImage(body: RequestBody<"searchGoodsByImage">): Answer<SuccessData<"searchGoodsByImage">>;
  parseGoodsUrl(body: RequestBody<"parseGoodsUrl">): Answer<SuccessData<"parseGoodsUrl">>;
  redeem(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): Answer<SuccessData<"redeemCouponCode">>;
}
