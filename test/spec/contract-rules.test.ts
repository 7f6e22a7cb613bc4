import { describe, expect, it } from "vitest";
import { type Json, loadBundledSpec } from "../helpers.ts";
import {
  checkClosedResponses,
  checkEnvelopes,
  checkExampleCoverage,
  checkExamplesValidate,
  checkGuideFields,
  checkSecurity,
  operations,
} from "./spec-checks.ts";

const spec = loadBundledSpec();
/** A fresh copy of the bundled spec for a test to break. */
const mutant = (): Json => structuredClone(spec);

describe("the bundled spec", () => {
  it("has exactly the guide's nine operations", () => {
    expect(
      operations(spec)
        .map((o) => o.op.operationId)
        .sort(),
    ).toEqual(
      [
        "getGoodsDetail",
        "getGoodsQcDetail",
        "issueToken",
        "listGoodsQcImages",
        "pageGoodsQc",
        "parseGoodsUrl",
        "redeemCouponCode",
        "revokeToken",
        "searchGoodsByImage",
      ].sort(),
    );
  });

  it("is version 1.4.0 with the guide's change history and three servers", () => {
    expect(spec.info.version).toBe("1.4.0");
    for (const version of ["v1.0", "v1.1", "v1.2", "v1.3", "v1.4"])
      expect(spec.info.description).toContain(`| ${version} |`);
    expect(spec.servers.map((s: Json) => s.url)).toEqual([
      "https://api.rizzitgo.com",
      "https://api-qa.rizzitbuy.com",
      "http://127.0.0.1:4010",
    ]);
  });

  it("uses nothing Prism ignores or mishandles", () => {
    const text = JSON.stringify(spec);
    expect(spec.jsonSchemaDialect).toBeUndefined();
    for (const keyword of ["prefixItems", "unevaluatedProperties", "dependentRequired"])
      expect(text).not.toContain(`"${keyword}"`);
  });
});

describe.each([
  {
    name: "every example validates against its schema (Ajv 2020)",
    check: checkExamplesValidate,
    break: (s: Json) => {
      s.components.examples.GetGoodsDetailResponse.value.data.priceInCents = "9900";
    },
    expected: "priceInCents",
  },
  {
    name: "schema-level examples validate too",
    check: checkExamplesValidate,
    break: (s: Json) => {
      s.components.schemas.DateTime.examples = ["2026-06-02T18:30:00Z"];
    },
    expected: "schema DateTime",
  },
  {
    name: "an example missing a required field fails",
    check: checkExamplesValidate,
    break: (s: Json) => {
      delete s.components.examples.SearchGoodsByImageResponse.value.data.goodsList[0].hasDiscount;
    },
    expected: "hasDiscount",
  },
  {
    name: "every operation has examples for its request and every status",
    check: checkExampleCoverage,
    break: (s: Json) => {
      delete s.paths["/open-api/goods/qc-page"].post.responses["400"].content["application/json"].examples;
    },
    expected: "pageGoodsQc: no example for response 400",
  },
  {
    name: "every business error has its 200 example",
    check: checkExampleCoverage,
    break: (s: Json) => {
      delete s.paths["/open-api/promotion/redeem-code/redeem"].post.responses["200"].content["application/json"]
        .examples.RedeemCouponCodeResponseDuplicateRequest;
    },
    expected: "business error 900",
  },
  {
    name: "business operations require exactly their scope, token operations HTTP Basic",
    check: checkSecurity,
    break: (s: Json) => {
      s.paths["/open-api/goods/qc-images"].post.security = [{ openApiOAuth2: ["goods:detail:read"] }];
    },
    expected: "listGoodsQcImages: must require exactly OAuth2 scope goods:qc:read",
  },
  {
    name: "token operations must use HTTP Basic",
    check: checkSecurity,
    break: (s: Json) => {
      delete s.paths["/open-api/system/oauth2/token/revoke"].post.security;
    },
    expected: "revokeToken: must require exactly HTTP Basic",
  },
  {
    name: "every response schema is closed",
    check: checkClosedResponses,
    break: (s: Json) => {
      delete s.components.schemas.RedeemedCoupon.additionalProperties;
    },
    expected: "redeemCouponCode response 200 application/json /oneOf[0].data.coupons[]: object schema is not closed",
  },
  {
    name: "every field of the guide is present and required",
    check: checkGuideFields,
    break: (s: Json) => {
      const detail = s.components.schemas.GoodsDetail;
      delete detail.properties.orginalPrice;
      detail.required = detail.required.filter((f: string) => f !== "orginalPrice");
    },
    expected: "getGoodsDetail: response field orginalPrice is missing",
  },
  {
    name: "a guide field that is optional in the spec fails",
    check: checkGuideFields,
    break: (s: Json) => {
      const qc = s.components.schemas.QcDetail;
      qc.required = qc.required.filter((f: string) => f !== "completionTime");
    },
    expected: "response field list[].completionTime is not required",
  },
  {
    name: "fixed values are const, nullable fields nullable",
    check: checkGuideFields,
    break: (s: Json) => {
      delete s.components.schemas.AccessToken.properties.token_type.const;
      s.components.schemas.RedeemedCoupon.properties.discountPercent.type = "integer";
    },
    expected: "issueToken: token_type must be const",
  },
  {
    name: "a leaked internal field fails",
    check: checkGuideFields,
    break: (s: Json) => {
      s.components.schemas.QcDetail.properties.inspectorName = { type: "string" };
    },
    expected: "exposes withheld field inspectorName",
  },
  {
    name: "every response is the envelope; protocol errors carry their status as code",
    check: checkEnvelopes,
    break: (s: Json) => {
      s.components.schemas.ForbiddenEnvelope.properties.code.const = 400;
    },
    expected: "403: envelope code must be const 403",
  },
  {
    name: "429 requires Retry-After",
    check: checkEnvelopes,
    break: (s: Json) => {
      s.components.headers.RetryAfter.required = false;
    },
    expected: "429: Retry-After header must be required",
  },
  {
    name: "a business code keeps one message everywhere",
    check: checkEnvelopes,
    break: (s: Json) => {
      s.paths["/open-api/goods/detail"].post["x-business-errors"][0].code = 1008006000;
    },
    expected: "business code 1008006000 has message",
  },
])("$name", ({ check, break: breakSpec, expected }) => {
  it("holds for the spec", () => {
    expect(check(spec)).toEqual([]);
  });
  it("fails on a spec broken on purpose", () => {
    const broken = mutant();
    breakSpec(broken);
    expect(check(broken).join("\n")).toContain(expected);
  });
});
