// Type tests of the SDK's public surface: every type comes from generated/schema.d.ts, so a wrong `source`, a
// missing `goodsId` or an unknown field is a compile error, and results are the spec's `data` types.
import { assertType, describe, expectTypeOf, it } from "vitest";
import {
  BUSINESS_ERRORS,
  BusinessCode,
  type BusinessKey,
  type components,
  createOpenApiClient,
  type OpenApiError,
  type OpenApiErrorKind,
  type ResultData,
} from "../../client/index.ts";

type Schemas = components["schemas"];

const client = createOpenApiClient({
  baseUrl: "https://api-qa.rizzitbuy.com",
  clientId: "id",
  clientSecret: "secret",
  tenantId: "1",
});

describe("operation methods", () => {
  it("resolve to the envelope's data", () => {
    expectTypeOf(client.getGoodsDetail({ goodsId: "123456", source: 1 })).resolves.toEqualTypeOf<
      Schemas["GoodsDetail"]
    >();
    expectTypeOf(client.getGoodsQcDetail).returns.resolves.toEqualTypeOf<Schemas["QcDetail"]>();
    expectTypeOf(client.listGoodsQcImages).returns.resolves.toEqualTypeOf<Schemas["QcImageList"]>();
    expectTypeOf(client.pageGoodsQc).returns.resolves.toEqualTypeOf<Schemas["QcPage"]>();
    expectTypeOf(client.searchGoodsByImage).returns.resolves.toEqualTypeOf<Schemas["ImageSearchPage"]>();
    expectTypeOf(client.parseGoodsUrl).returns.resolves.toEqualTypeOf<Schemas["ParsedGoodsUrl"]>();
    expectTypeOf(client.redeemCouponCode).returns.resolves.toEqualTypeOf<Schemas["RedeemResult"]>();
    expectTypeOf<ResultData<"getGoodsDetail">>().toEqualTypeOf<Schemas["GoodsDetail"]>();
  });

  it("take the spec's request bodies", () => {
    assertType(client.getGoodsDetail({ goodsId: "123456", source: 3 }));
    assertType(
      client.pageGoodsQc({ pageNo: 1, pageSize: 10, completionTime: ["2026-06-01 00:00:00", "2026-06-02 23:59:59"] }),
    );
    assertType(client.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com" }));
    assertType(client.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com", requestId: "REQ-1" }));
    assertType(client.parseGoodsUrl({ searchUrl: "https://detail.tmall.com/item.htm?id=1" }));
  });

  it("reject what the spec does not allow", () => {
    // @ts-expect-error source 4 exists only in URL parsing
    assertType(client.getGoodsDetail({ goodsId: "123456", source: 4 }));
    // @ts-expect-error goodsId is required
    assertType(client.getGoodsDetail({ source: 1 }));
    // @ts-expect-error goodsId is a string on the wire
    assertType(client.getGoodsDetail({ goodsId: 123456, source: 1 }));
    // @ts-expect-error the field is spelled imagesUrl
    assertType(client.searchGoodsByImage({ imageUrl: "https://example.com/a.jpg", page: 1, source: 1 }));
    // @ts-expect-error email is required
    assertType(client.redeemCouponCode({ code: "E602F4DC626E4948" }));
    // @ts-expect-error partners never pass headers: tenant-id and Authorization are the SDK's job
    assertType(client.getGoodsDetail({ goodsId: "1", source: 1 }, { headers: { "tenant-id": "1" } }));
    // @ts-expect-error there is no such operation
    assertType(client.getGoodsList);
  });
});

describe("pagination", () => {
  it("yields the spec's items", () => {
    expectTypeOf(client.iterateGoodsQc({ pageSize: 50 })).toEqualTypeOf<
      AsyncGenerator<Schemas["QcDetail"], void, undefined>
    >();
    expectTypeOf(client.iterateGoodsByImage({ imagesUrl: "https://example.com/a.jpg", source: 2 })).toEqualTypeOf<
      AsyncGenerator<Schemas["ImageSearchGoods"], void, undefined>
    >();
    // @ts-expect-error pageSize is required
    assertType(client.iterateGoodsQc({}));
  });
});

describe("construction and errors", () => {
  it("needs every credential", () => {
    // @ts-expect-error clientSecret is required
    assertType(createOpenApiClient({ baseUrl: "https://api-qa.rizzitbuy.com", clientId: "id", tenantId: "1" }));
    assertType(
      createOpenApiClient({
        baseUrl: "https://api-qa.rizzitbuy.com",
        clientId: "id",
        clientSecret: "secret",
        tenantId: 1,
        scope: ["goods:detail:read"],
        retry: false,
        refreshBufferSeconds: 120,
      }),
    );
  });

  it("OpenApiError carries a kind to switch on", () => {
    expectTypeOf<OpenApiError["kind"]>().toEqualTypeOf<OpenApiErrorKind>();
    expectTypeOf<OpenApiErrorKind>().toEqualTypeOf<
      "auth" | "scope" | "rateLimit" | "validation" | "business" | "network" | "server"
    >();
    expectTypeOf<OpenApiError["status"]>().toEqualTypeOf<number | null>();
    expectTypeOf<OpenApiError["code"]>().toEqualTypeOf<number | null>();
  });

  it("the raw openapi-fetch client does not ask for tenant-id", () => {
    assertType(client.raw.POST("/open-api/goods/detail", { body: { goodsId: "1", source: 1 } }));
    // @ts-expect-error the raw client is typed by the spec too
    assertType(client.raw.POST("/open-api/goods/detail", { body: { goodsId: "1", source: 9 } }));
  });
});

describe("business codes (generated from the spec's x-business-errors)", () => {
  it("are literal constants by key", () => {
    expectTypeOf(BusinessCode.GOODS_NOT_EXISTS).toEqualTypeOf<1008005000>();
    expectTypeOf(BusinessCode.REPEATED_REQUEST).toEqualTypeOf<900>();
    // @ts-expect-error no such key in the spec
    assertType(BusinessCode.GOODS_MISSING);
    expectTypeOf<BusinessKey>().toExtend<string>();
    expectTypeOf<"GOODS_NOT_EXISTS">().toExtend<BusinessKey>();
    expectTypeOf(BUSINESS_ERRORS[0]?.meaning["zh-CN"]).toEqualTypeOf<string | undefined>();
  });

  it("OpenApiError's code and businessKey compare with them", () => {
    expectTypeOf<OpenApiError["businessKey"]>().toEqualTypeOf<BusinessKey | null>();
    const handle = (error: OpenApiError): string => {
      if (error.code === BusinessCode.GOODS_NOT_EXISTS) return "gone";
      if (error.businessKey === "REDEEM_CODE_EXPIRED") return "expired";
      // @ts-expect-error a key the spec does not list can never match
      if (error.businessKey === "REDEEM_CODE_STOLEN") return "never";
      return "other";
    };
    assertType<string>(handle({} as OpenApiError));
  });
});
