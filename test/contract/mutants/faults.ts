// The mutants: each breaks the contract in one way, names the check that must catch it, and says which part of
// the suite to run (a few cases of the property layer on the operations concerned keeps 15 mutants fast on 2 cores;
// one full run over the clean proxy covers everything else).
import type { Fault, ProxyRequest, ProxyResponse } from "./proxy.ts";

export interface Mutant {
  name: string;
  /** The contract rule the fault breaks, in words. */
  breaks: string;
  /** The check that must fail on this mutant. */
  expectedCheck: string;
  layers: ("dredd" | "property" | "workflow")[];
  checks: string[];
  operations?: string[];
  fault: Fault;
}

type Json = { [key: string]: unknown };

const isBusiness = (path: string) => path.startsWith("/open-api/") && !path.startsWith("/open-api/system/oauth2");
const pathIs = (request: ProxyRequest, path: string) => request.path.split("?")[0] === path;

function parse(response: ProxyResponse): Json | undefined {
  try {
    const value = JSON.parse(response.body) as unknown;
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
  } catch {
    return undefined;
  }
}

/** Rewrites a successful (code 0) JSON body of `path`. */
function onSuccessOf(path: string, change: (data: Json) => void): Fault {
  return {
    onResponse: (request, response) => {
      const body = parse(response);
      if (!pathIs(request, path) || response.status !== 200 || body?.code !== 0) return response;
      change(body.data as Json);
      return { ...response, body: JSON.stringify(body) };
    },
  };
}

const envelope = (status: number, code: number, msg: string): ProxyResponse => ({
  status,
  headers: { "content-type": "application/json; charset=utf-8" },
  body: JSON.stringify({ code, data: null, msg }),
});

const revoked = new Set<string>();

export const mutants: Mutant[] = [
  {
    name: "dropped-required-field",
    breaks: "goods detail omits the required goodsTitle",
    expectedCheck: "response_schema_conformance",
    layers: ["property"],
    checks: ["response_schema_conformance"],
    operations: ["getGoodsDetail"],
    fault: onSuccessOf("/open-api/goods/detail", (data) => {
      delete data.goodsTitle;
    }),
  },
  {
    name: "wrong-type",
    breaks: "priceInCents sent as a string",
    expectedCheck: "response_schema_conformance",
    layers: ["property"],
    checks: ["response_schema_conformance"],
    operations: ["getGoodsDetail"],
    fault: onSuccessOf("/open-api/goods/detail", (data) => {
      data.priceInCents = String(data.priceInCents);
    }),
  },
  {
    name: "leaked-extra-field",
    breaks: "QC detail leaks the inspector's name, which the guide withholds",
    expectedCheck: "response_schema_conformance",
    layers: ["property"],
    checks: ["response_schema_conformance"],
    operations: ["getGoodsQcDetail"],
    fault: onSuccessOf("/open-api/goods/qc-detail", (data) => {
      data.inspectorName = "Wang Wei";
    }),
  },
  {
    name: "leaked-extra-field-dredd",
    breaks: "the same leak, caught by the Dredd layer's Ajv hooks alone (Dredd itself only checks key presence)",
    expectedCheck: "response_schema_conformance",
    layers: ["dredd"],
    checks: ["response_schema_conformance", "dredd_transaction"],
    fault: onSuccessOf("/open-api/goods/qc-detail", (data) => {
      data.inspectorName = "Wang Wei";
    }),
  },
  {
    name: "wrong-enum-value",
    breaks: "goodsSource 9, outside the enum 1-3",
    expectedCheck: "response_schema_conformance",
    layers: ["property"],
    checks: ["response_schema_conformance"],
    operations: ["getGoodsDetail"],
    fault: onSuccessOf("/open-api/goods/detail", (data) => {
      data.goodsSource = 9;
    }),
  },
  {
    name: "wrong-content-type",
    breaks: "JSON bodies labelled text/plain",
    expectedCheck: "content_type_conformance",
    layers: ["property"],
    checks: ["content_type_conformance"],
    operations: ["listGoodsQcImages"],
    fault: {
      onResponse: (_request, response) =>
        response.status === 200
          ? { ...response, headers: { ...response.headers, "content-type": "text/plain" } }
          : response,
    },
  },
  {
    name: "wrong-content-type-dredd",
    breaks:
      "the same label, caught by the Dredd hooks' media-type check (Gavel's own check is switched off: it rejects a charset)",
    expectedCheck: "content_type_conformance",
    layers: ["dredd"],
    checks: ["content_type_conformance", "dredd_transaction"],
    fault: {
      onResponse: (_request, response) =>
        response.status === 200
          ? { ...response, headers: { ...response.headers, "content-type": "text/plain" } }
          : response,
    },
  },
  {
    name: "server-error-on-bad-input",
    breaks: "invalid input answered 500 instead of 400",
    expectedCheck: "not_a_server_error",
    layers: ["property"],
    checks: ["not_a_server_error", "negative_data_rejection"],
    operations: ["pageGoodsQc"],
    fault: {
      onResponse: (_request, response) =>
        response.status === 400 ? envelope(500, 500, "Internal error, please retry later") : response,
    },
  },
  {
    name: "missing-token-accepted",
    breaks: "a business call without Authorization is served",
    expectedCheck: "ignored_auth",
    layers: ["property"],
    checks: ["ignored_auth"],
    operations: ["getGoodsDetail", "redeemCouponCode"],
    fault: {
      onRequest: async (request, tools) =>
        isBusiness(request.path) && !request.headers.authorization
          ? { ...request, headers: { ...request.headers, authorization: `Bearer ${await tools.goodToken()}` } }
          : request,
    },
  },
  {
    name: "revoked-token-accepted",
    breaks: "a revoked token keeps working",
    expectedCheck: "use_after_free",
    layers: ["property"],
    checks: ["use_after_free"],
    operations: ["getGoodsDetail"],
    fault: {
      onRequest: async (request, tools) => {
        if (pathIs(request, "/open-api/system/oauth2/token/revoke")) {
          const token = new URLSearchParams(request.body).get("token");
          if (token) revoked.add(token);
          return request;
        }
        const bearer = request.headers.authorization?.replace(/^Bearer /, "");
        return bearer && revoked.has(bearer)
          ? { ...request, headers: { ...request.headers, authorization: `Bearer ${await tools.goodToken()}` } }
          : request;
      },
    },
  },
  {
    name: "missing-scope-ignored",
    breaks: "a token without the operation's scope is served",
    expectedCheck: "insufficient_scope",
    layers: ["property"],
    checks: ["insufficient_scope"],
    operations: ["getGoodsQcDetail"],
    fault: {
      onResponse: async (request, response, tools) => {
        const body = parse(response);
        if (response.status !== 403 || !isBusiness(request.path) || !String(body?.msg ?? "").includes("scope"))
          return response;
        return tools.upstream({
          ...request,
          headers: { ...request.headers, authorization: `Bearer ${await tools.goodToken()}` },
        });
      },
    },
  },
  {
    name: "tenant-mismatch-ignored",
    breaks: "a token used with another tenant's tenant-id is served",
    expectedCheck: "tenant_mismatch",
    layers: ["property"],
    checks: ["tenant_mismatch"],
    operations: ["searchGoodsByImage"],
    fault: {
      onRequest: (request) =>
        isBusiness(request.path) && request.headers["tenant-id"] && request.headers["tenant-id"] !== "1"
          ? { ...request, headers: { ...request.headers, "tenant-id": "1" } }
          : request,
    },
  },
  {
    name: "wrong-status-for-error",
    breaks: "invalid input answered 422 (undocumented) instead of 400",
    expectedCheck: "status_code_conformance",
    layers: ["property"],
    checks: ["status_code_conformance"],
    operations: ["parseGoodsUrl"],
    fault: {
      onResponse: (_request, response) => {
        const body = parse(response);
        return response.status === 400 ? envelope(422, 422, String(body?.msg ?? "invalid")) : response;
      },
    },
  },
  {
    name: "envelope-code-disagrees",
    breaks: "HTTP 401 with code 400 in the envelope",
    expectedCheck: "envelope_code_matches_status",
    layers: ["property"],
    // ignored_auth is the probe that provokes the 401.
    checks: ["envelope_code_matches_status", "ignored_auth"],
    operations: ["getGoodsDetail"],
    fault: {
      onResponse: (_request, response) => {
        const body = parse(response);
        return response.status === 401
          ? { ...envelope(401, 400, String(body?.msg ?? "unauthorized")), headers: response.headers }
          : response;
      },
    },
  },
  {
    name: "missing-header-accepted",
    breaks: "a request without tenant-id is served",
    expectedCheck: "missing_required_header",
    layers: ["property"],
    checks: ["missing_required_header"],
    operations: ["getGoodsDetail"],
    fault: {
      onRequest: (request) =>
        request.headers["tenant-id"] ? request : { ...request, headers: { ...request.headers, "tenant-id": "1" } },
    },
  },
  {
    name: "unsupported-method-404",
    breaks: "GET on a POST-only path answers 404 instead of 405",
    expectedCheck: "unsupported_method",
    layers: ["property"],
    checks: ["unsupported_method"],
    operations: ["getGoodsDetail"],
    fault: {
      onRequest: (request) => (request.method !== "POST" ? envelope(404, 404, "Not found") : request),
    },
  },
  {
    name: "valid-input-rejected",
    breaks: "any goods ID but the example's, valid by the schema, rejected with 400",
    expectedCheck: "positive_data_acceptance",
    layers: ["property"],
    checks: ["positive_data_acceptance"],
    operations: ["getGoodsDetail"],
    fault: {
      onRequest: (request) => {
        if (!pathIs(request, "/open-api/goods/detail")) return request;
        try {
          const body = JSON.parse(request.body) as Json;
          if (body.goodsId !== "123456") return envelope(400, 400, "goodsId: unknown format");
        } catch {}
        return request;
      },
    },
  },
  {
    name: "prototype-key-refused",
    breaks:
      "a valid JSON body holding a __proto__ key is refused with 400, as Fastify's default prototype-poisoning " +
      "guard does (the body schema allows unknown properties, so the request is valid)",
    expectedCheck: "positive_data_acceptance",
    layers: ["property"],
    checks: ["positive_data_acceptance"],
    operations: ["getGoodsDetail"],
    fault: {
      onRequest: (request) =>
        isBusiness(request.path) && /"__proto__"\s*:/.test(request.body)
          ? envelope(400, 400, "Object contains forbidden prototype property")
          : request,
    },
  },
  {
    name: "replay-not-idempotent",
    breaks: "a redemption replayed with the same requestId is processed again instead of answering 900",
    expectedCheck: "arazzo_workflow",
    layers: ["workflow"],
    checks: ["arazzo_workflow"],
    fault: {
      onRequest: (request) => {
        if (!pathIs(request, "/open-api/promotion/redeem-code/redeem")) return request;
        try {
          const body = JSON.parse(request.body) as Json;
          body.requestId = `mutant-${Math.random().toString(36).slice(2)}`;
          return { ...request, body: JSON.stringify(body) };
        } catch {
          return request;
        }
      },
    },
  },
  {
    name: "last-page-repeated",
    breaks: "pages past the last repeat the last page instead of answering an empty list",
    expectedCheck: "pagination_walk",
    layers: ["workflow"],
    checks: ["pagination_walk"],
    fault: {
      onRequest: (request) => {
        if (!pathIs(request, "/open-api/goods/qc-page")) return request;
        try {
          const body = JSON.parse(request.body) as Json;
          if (typeof body.pageNo === "number" && body.pageNo > 1) body.pageNo = body.pageNo - 1;
          return { ...request, body: JSON.stringify(body) };
        } catch {
          return request;
        }
      },
    },
  },
];
