// The integration guide's request and response tables (guide v1.4, sections 5 and 7), written down from the
// guide itself, not from the spec: the spec test checks the spec against this table, so a field dropped or
// renamed in openapi/ is caught. `orginalPrice` and `imagesUrl` are spelled as the platform sends them.

export type OperationId =
  | "issueToken"
  | "revokeToken"
  | "getGoodsDetail"
  | "getGoodsQcDetail"
  | "listGoodsQcImages"
  | "pageGoodsQc"
  | "searchGoodsByImage"
  | "parseGoodsUrl"
  | "redeemCouponCode";

export interface GuideOperation {
  path: string;
  /** `basic` for the token endpoints, otherwise the one scope the guide names. */
  security: "basic" | { scope: string };
  requestMediaType: "application/json" | "application/x-www-form-urlencoded";
  /** Request body fields: name -> required? */
  request: Record<string, boolean>;
  /** Fields of `data` (dotted paths reach into arrays of objects, e.g. `list[].goodsId`). */
  response: string[];
}

const qcDetailFields = ["goodsId", "qcPathList", "length", "width", "height", "weight", "volume", "completionTime"];

export const guideOperations: Record<OperationId, GuideOperation> = {
  issueToken: {
    path: "/open-api/system/oauth2/token",
    security: "basic",
    requestMediaType: "application/x-www-form-urlencoded",
    request: { grant_type: true, scope: false },
    response: ["access_token", "refresh_token", "token_type", "expires_in", "scope"],
  },
  revokeToken: {
    path: "/open-api/system/oauth2/token/revoke",
    security: "basic",
    requestMediaType: "application/x-www-form-urlencoded",
    request: { token: true },
    response: [],
  },
  getGoodsDetail: {
    path: "/open-api/goods/detail",
    security: { scope: "goods:detail:read" },
    requestMediaType: "application/json",
    request: { goodsId: true, source: true },
    response: [
      "goodsId",
      "goodsTitle",
      "goodsDetailUrl",
      "goodsPicUrl",
      "price",
      "priceInCents",
      "orginalPrice",
      "stockNum",
      "salesCount",
      "goodsImageUrlList",
      "postFee",
      "goodsSource",
    ],
  },
  getGoodsQcDetail: {
    path: "/open-api/goods/qc-detail",
    security: { scope: "goods:qc:read" },
    requestMediaType: "application/json",
    request: { goodsId: true, source: true },
    response: qcDetailFields,
  },
  listGoodsQcImages: {
    path: "/open-api/goods/qc-images",
    security: { scope: "goods:qc:read" },
    requestMediaType: "application/json",
    request: { goodsId: true, source: true },
    response: [],
  },
  pageGoodsQc: {
    path: "/open-api/goods/qc-page",
    security: { scope: "goods:qc:read" },
    requestMediaType: "application/json",
    request: { pageNo: true, pageSize: true, goodsId: false, source: false, createTime: false, completionTime: false },
    response: ["list", "total", ...qcDetailFields.map((field) => `list[].${field}`)],
  },
  searchGoodsByImage: {
    path: "/open-api/goods/search-by-images",
    security: { scope: "goods:search:read" },
    requestMediaType: "application/json",
    request: { imagesUrl: true, page: true, source: true },
    response: [
      "goodsList",
      "page",
      "size",
      "totalPage",
      "totalCount",
      ...[
        "goodsId",
        "goodsTitle",
        "goodsDetailUrl",
        "goodsPicUrl",
        "goodsSource",
        "price",
        "priceInCents",
        "originPriceInCents",
        "salesCount",
        "hasDiscount",
        "discountPriceInCents",
      ].map((field) => `goodsList[].${field}`),
    ],
  },
  parseGoodsUrl: {
    path: "/open-api/goods/search-url-parse",
    security: { scope: "goods:search:read" },
    requestMediaType: "application/json",
    request: { searchUrl: true, rno: false },
    response: [
      "goodsId",
      "goodsSource",
      "goodsSourceName",
      "goodsDetailUrl",
      "targetGoodsDetailUrl",
      "success",
      "searchUrl",
    ],
  },
  redeemCouponCode: {
    path: "/open-api/promotion/redeem-code/redeem",
    security: { scope: "promotion:redeem-code:redeem" },
    requestMediaType: "application/json",
    request: { code: true, email: true, requestId: false },
    response: [
      "code",
      "email",
      "prize",
      "success",
      "message",
      "coupons",
      ...[
        "templateId",
        "title",
        "couponType",
        "discountType",
        "discountPrice",
        "discountPercent",
        "usePriceCondition",
        "validStartTime",
        "validEndTime",
      ].map((field) => `coupons[].${field}`),
    ],
  },
};

/** Response fields whose value the guide fixes: the schema must say `const`. */
export const guideConstants: { operationId: OperationId; field: string; value: unknown }[] = [
  { operationId: "issueToken", field: "token_type", value: "Bearer" },
  { operationId: "issueToken", field: "refresh_token", value: "" },
];

/** Response fields the guide allows to be null. */
export const guideNullable: { operationId: OperationId; field: string }[] = [
  { operationId: "redeemCouponCode", field: "coupons[].discountPercent" },
];

/** Fields the guide says the open API never returns (internal or member-scoped). */
export const guideWithheld = [
  "inspectorId",
  "inspectorName",
  "photographerId",
  "photographerName",
  "collected",
  "shareUrl",
];
