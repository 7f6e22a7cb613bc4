// The corpus of spec changes the breaking-change gate must rate right (test/governance/corpus.test.ts). Each is a
// small patch over the bundled spec (generated/openapi.json) with the rating the policy in openapi/README.md
// ("Breaking changes") gives it, and why. A patch throws when its target is gone from the spec, so a change to
// openapi/ cannot silently turn a case into a no-op: update the case instead.
import type { Json } from "../helpers.ts";

export type Impact = "major" | "minor" | "patch";

export interface SpecChange {
  name: string;
  /** The bump the whole change needs. */
  expected: Impact;
  /** A rule (redocly or kit/...) that must be among the reported changes. */
  rule?: string;
  why: string;
  apply: (spec: Json) => void;
}

function need<T>(value: T | undefined | null, what: string): T {
  if (value === undefined || value === null) throw new Error(`corpus: ${what} is not in the spec any more`);
  return value;
}
const schema = (spec: Json, name: string): Json => need(spec.components?.schemas?.[name], `schema ${name}`);
const property = (spec: Json, schemaName: string, name: string): Json =>
  need(schema(spec, schemaName).properties?.[name], `${schemaName}.${name}`);
const operation = (spec: Json, path: string): Json => need(spec.paths?.[path]?.post, `POST ${path}`);
const businessErrors = (spec: Json, path: string): Json[] =>
  need(operation(spec, path)["x-business-errors"], `x-business-errors of ${path}`);
const oauthScopes = (spec: Json): Record<string, string> =>
  need(spec.components?.securitySchemes?.openApiOAuth2?.flows?.clientCredentials?.scopes, "openApiOAuth2 scopes");
const dropRequired = (s: Json, name: string) => {
  s.required = need(s.required, "required").filter((r: string) => r !== name);
};

const DETAIL = "/open-api/goods/detail";
const QC_PAGE = "/open-api/goods/qc-page";
const QC_IMAGES = "/open-api/goods/qc-images";
const URL_PARSE = "/open-api/goods/search-url-parse";
const REDEEM = "/open-api/promotion/redeem-code/redeem";

export const specChanges: SpecChange[] = [
  // ---- responses: fields
  {
    name: "new optional response field",
    expected: "minor",
    why: "partners ignore fields they do not know (policy); a new field adds data, breaks no reader. THE change that must pass",
    apply: (s) => {
      schema(s, "GoodsDetail").properties.brandName = { type: "string", description: "The brand." };
    },
  },
  {
    name: "new response field that is always present",
    expected: "minor",
    why: "an always-present new field is still a new field to a reader: nothing it read before changes",
    apply: (s) => {
      const g = schema(s, "GoodsDetail");
      g.properties.brandName = { type: "string", description: "The brand." };
      g.required.push("brandName");
    },
  },
  {
    name: "response field removed",
    expected: "major",
    rule: "property-removed",
    why: "a partner reading postFee gets undefined. THE change that must fail",
    apply: (s) => {
      property(s, "GoodsDetail", "postFee");
      delete schema(s, "GoodsDetail").properties.postFee;
      dropRequired(schema(s, "GoodsDetail"), "postFee");
    },
  },
  {
    name: "response field renamed",
    expected: "major",
    rule: "property-removed",
    why: "a rename is a removal plus an addition: readers of the old name break",
    apply: (s) => {
      const g = schema(s, "GoodsDetail");
      g.properties.shippingFee = property(s, "GoodsDetail", "postFee");
      delete g.properties.postFee;
      g.required = g.required.map((r: string) => (r === "postFee" ? "shippingFee" : r));
    },
  },
  {
    name: "response field no longer always present",
    expected: "major",
    rule: "required-properties-removed",
    why: "a partner relying on the field being there meets its absence",
    apply: (s) => dropRequired(schema(s, "GoodsDetail"), "postFee"),
  },
  {
    name: "response field changes type",
    expected: "major",
    rule: "schema-type-changed",
    why: "stockNum as a number instead of a string breaks every typed reader",
    apply: (s) => {
      schema(s, "GoodsDetail").properties.stockNum = { type: "integer", description: "Stock." };
    },
  },
  {
    name: "response field may now be null",
    expected: "major",
    rule: "schema-type-changed",
    why: "a reader that never expected null crashes on it",
    apply: (s) => {
      property(s, "RedeemedCoupon", "title").type = ["string", "null"];
    },
  },
  {
    name: "response object opened to unknown fields",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "responses are closed (additionalProperties: false) by promise: opening one withdraws the promise",
    apply: (s) => {
      schema(s, "GoodsDetail").additionalProperties = true;
    },
  },
  // ---- responses: enums, constants and constraints
  {
    name: "response enum widened",
    expected: "major",
    rule: "enum-values-added",
    why: "a partner's switch over couponType meets a value it has no case for",
    apply: (s) => {
      property(s, "RedeemedCoupon", "couponType").enum.push(4);
    },
  },
  {
    name: "response enum narrowed",
    expected: "patch",
    why: "the server sends fewer values: every reader still understands all it gets",
    apply: (s) => {
      property(s, "RedeemedCoupon", "couponType").enum = [1, 2];
    },
  },
  {
    name: "response constant changed",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "token_type 'bearer' instead of 'Bearer' breaks a partner comparing it",
    apply: (s) => {
      property(s, "AccessToken", "token_type").const = "bearer";
    },
  },
  {
    name: "response maximum length raised",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "a partner storing access_token in a 512-character column overflows",
    apply: (s) => {
      property(s, "AccessToken", "access_token").maxLength = 1024;
    },
  },
  {
    name: "response maximum length lowered",
    expected: "patch",
    why: "the server promises shorter values: still within what every reader handles",
    apply: (s) => {
      property(s, "AccessToken", "access_token").maxLength = 256;
    },
  },
  {
    name: "response pattern loosened",
    expected: "major",
    rule: "kit/pattern-loosened",
    why: "YuanAmount with three decimals reaches a parser that expects exactly two (kit rule: direction-aware patterns)",
    apply: (s) => {
      const p = schema(s, "YuanAmount");
      need(p.pattern?.endsWith("[0-9]{2}$") ? p.pattern : undefined, "YuanAmount's two-decimal pattern");
      p.pattern = p.pattern.replace(/\[0-9\]\{2\}\$$/, "[0-9]{2,3}$");
    },
  },
  {
    name: "response pattern tightened",
    expected: "patch",
    rule: "kit/pattern-tightened",
    why: "amounts now have at most 10 integer digits: a narrower promise, every reader copes (redocly alone rates it major)",
    apply: (s) => {
      const p = schema(s, "YuanAmount");
      need(p.pattern?.includes("{0,11}") ? p.pattern : undefined, "YuanAmount's {0,11} digits");
      p.pattern = p.pattern.replace("{0,11}", "{0,9}");
    },
  },
  {
    name: "response pattern rewritten, same language",
    expected: "patch",
    rule: "kit/pattern-rewritten",
    why: "[0-9] written as \\d accepts the same strings: nothing changes on the wire (redocly alone rates it major)",
    apply: (s) => {
      const p = schema(s, "CountString");
      need(p.pattern?.includes("[1-9][0-9]") ? p.pattern : undefined, "CountString's pattern");
      p.pattern = p.pattern.replace("[1-9][0-9]", "[1-9]\\d");
    },
  },
  {
    name: "response header removed",
    expected: "major",
    rule: "response-header-removed",
    why: "Retry-After on 429 is what a partner's backoff reads",
    apply: (s) => {
      delete need(s.components?.responses?.TooManyRequests?.headers, "429 headers")["Retry-After"];
    },
  },
  // ---- requests
  {
    name: "optional request field becomes required",
    expected: "major",
    rule: "required-properties-added",
    why: "a partner that never sent rno is now refused",
    apply: (s) => {
      property(s, "ParseGoodsUrlQuery", "rno");
      schema(s, "ParseGoodsUrlQuery").required.push("rno");
    },
  },
  {
    name: "new required request field",
    expected: "major",
    rule: "required-properties-added",
    why: "every existing request lacks it and is refused",
    apply: (s) => {
      const q = schema(s, "ParseGoodsUrlQuery");
      q.properties.lang = { type: "string" };
      q.required.push("lang");
    },
  },
  {
    name: "new optional request field",
    expected: "minor",
    why: "existing requests stay valid; partners may start sending it",
    apply: (s) => {
      schema(s, "ParseGoodsUrlQuery").properties.lang = { type: "string", maxLength: 16 };
    },
  },
  {
    name: "required request field becomes optional",
    expected: "patch",
    why: "existing requests stay valid; redocly rates a relaxed request as a patch",
    apply: (s) => dropRequired(schema(s, "QcPageQuery"), "pageSize"),
  },
  {
    name: "request enum narrowed",
    expected: "major",
    rule: "enum-values-removed",
    why: "a partner sending source 3 (Weidian) is refused",
    apply: (s) => {
      schema(s, "GoodsSource").enum = [1, 2];
    },
  },
  {
    name: "request-only enum widened",
    expected: "patch",
    why: "a request enum that accepts more breaks no sender (grant_type is never answered back)",
    apply: (s) => {
      property(s, "TokenRequest", "grant_type").enum = [
        ...need(property(s, "TokenRequest", "grant_type").enum, "grant_type enum"),
        "urn:ietf:params:oauth:grant-type:jwt-bearer",
      ];
    },
  },
  {
    name: "enum widened in a schema used by requests and responses",
    expected: "major",
    rule: "enum-values-added",
    why: "GoodsSource is also answered (goodsSource): readers meet the new value",
    apply: (s) => {
      schema(s, "GoodsSource").enum.push(4);
    },
  },
  {
    name: "request maximum lowered",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "a partner paging with pageSize 100 is refused",
    apply: (s) => {
      property(s, "QcPageQuery", "pageSize").maximum = 50;
    },
  },
  {
    name: "request maximum length raised",
    expected: "patch",
    why: "longer rno values are accepted; every old request still passes",
    apply: (s) => {
      property(s, "ParseGoodsUrlQuery", "rno").maxLength = 128;
    },
  },
  {
    name: "request pattern tightened",
    expected: "major",
    rule: "kit/pattern-tightened",
    why: "a tenant-id of 11 digits, valid before, is refused",
    apply: (s) => {
      const tenant = need(s.components?.parameters?.TenantId?.schema, "tenant-id schema");
      need(tenant.pattern?.includes("{0,18}") ? tenant.pattern : undefined, "tenant-id's {0,18}");
      tenant.pattern = tenant.pattern.replace("{0,18}", "{0,9}");
    },
  },
  {
    name: "request pattern loosened",
    expected: "minor",
    rule: "kit/pattern-loosened",
    why: "tenant-ids of 20 digits are accepted too: every old request still passes (redocly alone rates it major)",
    apply: (s) => {
      const tenant = need(s.components?.parameters?.TenantId?.schema, "tenant-id schema");
      need(tenant.pattern?.includes("{0,18}") ? tenant.pattern : undefined, "tenant-id's {0,18}");
      tenant.pattern = tenant.pattern.replace("{0,18}", "{0,19}");
    },
  },
  {
    name: "pattern tightened in a schema used by requests and responses",
    expected: "major",
    rule: "kit/pattern-tightened",
    why: "DateTime is sent in qc-page filters: a year before 2000, valid before, is refused",
    apply: (s) => {
      const p = schema(s, "DateTime");
      need(p.pattern?.startsWith("^[0-9]{4}") ? p.pattern : undefined, "DateTime's year");
      p.pattern = `^2[0-9]{3}${p.pattern.slice("^[0-9]{4}".length)}`;
    },
  },
  {
    name: "request format added",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "email gains format: email; a value the platform accepted (its own rule) may now be refused",
    apply: (s) => {
      property(s, "RedeemCouponCodeCommand", "email").format = "email";
    },
  },
  {
    name: "request body closed to unknown fields",
    expected: "major",
    rule: "schema-constraint-changed",
    why: "request bodies are open by policy; partners sending extra fields would be refused",
    apply: (s) => {
      schema(s, "GoodsQuery").additionalProperties = false;
    },
  },
  {
    name: "new required header",
    expected: "major",
    rule: "parameter-became-required",
    why: "no existing request carries it",
    apply: (s) => {
      operation(s, DETAIL).parameters.push({
        name: "x-request-id",
        in: "header",
        required: true,
        schema: { type: "string" },
      });
    },
  },
  {
    name: "request media type replaced",
    expected: "major",
    rule: "media-type-removed",
    why: "JSON bodies are no longer accepted",
    apply: (s) => {
      const body = operation(s, DETAIL).requestBody;
      body.content = { "application/x-www-form-urlencoded": need(body.content["application/json"], "JSON body") };
    },
  },
  // ---- operations, paths, security
  {
    name: "operation removed",
    expected: "major",
    rule: "path-removed",
    why: "partners calling qc-images get 404",
    apply: (s) => {
      need(s.paths[QC_IMAGES], QC_IMAGES);
      delete s.paths[QC_IMAGES];
    },
  },
  {
    name: "path renamed",
    expected: "major",
    rule: "path-removed",
    why: "the old URL stops answering",
    apply: (s) => {
      s.paths["/open-api/goods/details"] = need(s.paths[DETAIL], DETAIL);
      delete s.paths[DETAIL];
    },
  },
  {
    name: "new operation",
    expected: "minor",
    why: "a new capability; nothing existing changes",
    apply: (s) => {
      const copy = structuredClone(need(s.paths[QC_IMAGES], QC_IMAGES));
      copy.post.operationId = "listGoodsQcVideos";
      s.paths["/open-api/goods/qc-videos"] = copy;
    },
  },
  {
    name: "operationId renamed",
    expected: "major",
    rule: "operation-id-changed",
    why: "the SDK's method names and the docs' anchors come from operationIds",
    apply: (s) => {
      operation(s, DETAIL).operationId = "fetchGoodsDetail";
    },
  },
  {
    name: "operation requires another scope",
    expected: "major",
    rule: "security-requirement-changed",
    why: "tokens issued for goods:qc:read are refused with 403",
    apply: (s) => {
      operation(s, QC_PAGE).security = [{ openApiOAuth2: ["goods:detail:read"] }];
    },
  },
  {
    name: "scope no longer offered",
    expected: "major",
    rule: "kit/scope-removed",
    why: "a token request naming it is refused with 400 (redocly does not compare a scheme's scopes)",
    apply: (s) => {
      const scopes = oauthScopes(s);
      need(scopes["promotion:redeem-code:redeem"], "the redeem scope");
      delete scopes["promotion:redeem-code:redeem"];
    },
  },
  {
    name: "new scope offered",
    expected: "minor",
    rule: "kit/scope-added",
    why: "a new capability a partner may ask for",
    apply: (s) => {
      oauthScopes(s)["goods:stock:read"] = "Query goods stock.";
    },
  },
  {
    name: "new error status on an operation",
    expected: "major",
    rule: "kit/response-status-added",
    why: "a status a partner's error handling never met (redocly rates it minor)",
    apply: (s) => {
      operation(s, DETAIL).responses["409"] = structuredClone(need(operation(s, DETAIL).responses["400"], "400"));
    },
  },
  {
    name: "server removed",
    expected: "major",
    rule: "server-removed",
    why: "partners configured with that base URL lose it",
    apply: (s) => {
      need(s.servers?.length ? s.servers : undefined, "servers").pop();
    },
  },
  // ---- business errors (x-business-errors: redocly ignores vendor extensions)
  {
    name: "business code renumbered",
    expected: "major",
    rule: "kit/business-error-code-changed",
    why: "partners switch on the number: GOODS_NOT_EXISTS with a new code is an unknown error to them",
    apply: (s) => {
      need(businessErrors(s, DETAIL)[0], "detail's business error").code = 1008005009;
    },
  },
  {
    name: "business error added",
    expected: "major",
    rule: "kit/business-error-added",
    why: "the list of business codes is a response enum: widening it meets a partner's switch unprepared",
    apply: (s) => {
      businessErrors(s, URL_PARSE).push({
        code: 1008010001,
        key: "GOODS_URL_UNSUPPORTED",
        message: "Unsupported product URL",
        description: "The link is of a platform the parser does not know.",
      });
    },
  },
  {
    name: "business error no longer answered",
    expected: "patch",
    rule: "kit/business-error-removed",
    why: "a code that never comes breaks no handler",
    apply: (s) => {
      const list = businessErrors(s, REDEEM);
      need(
        list.find((e: Json) => e.code === 1013020006),
        "REDEEM_CODE_IP_LIMIT",
      );
      list.splice(
        list.findIndex((e: Json) => e.code === 1013020006),
        1,
      );
    },
  },
  {
    name: "business error message reworded",
    expected: "patch",
    rule: "kit/business-error-text-changed",
    why: "partners match on code, never on msg (policy)",
    apply: (s) => {
      need(businessErrors(s, DETAIL)[0], "detail's business error").message = "Goods not found";
    },
  },
  // ---- documentation
  {
    name: "operation description reworded",
    expected: "patch",
    why: "words only",
    apply: (s) => {
      operation(s, DETAIL).description += " Prices are in yuan.";
    },
  },
  {
    name: "example changed",
    expected: "patch",
    rule: "kit/unrated-change",
    why: "examples are documentation; redocly reports nothing, the kit still lists it",
    apply: (s) => {
      need(s.components?.examples?.GetGoodsDetailResponse?.value?.data, "GetGoodsDetailResponse").goodsTitle =
        "Another title";
    },
  },
  {
    name: "operation deprecated",
    expected: "patch",
    why: "it keeps working; the flag warns partners ahead of a future major",
    apply: (s) => {
      operation(s, QC_IMAGES).deprecated = true;
    },
  },
];
