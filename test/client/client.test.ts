// The SDK's behaviour on a scripted network that records every request: tokens, 401s, retries, errors,
// idempotent redemption, pagination. Sleeps are instant and the clock is driven by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { BusinessCode, createOpenApiClient, OpenApiError } from "../../client/index.ts";
import { loadBundledSpec, repoRoot } from "../helpers.ts";
import {
  envelope,
  GOODS,
  harness,
  ok,
  protocolError,
  REVOKE_PATH,
  type RecordedRequest,
  TOKEN_PATH,
  tokenAnswer,
} from "./scripted-fetch.ts";

const detail = { goodsId: "123456", source: 1 } as const;

async function failure(promise: Promise<unknown>): Promise<OpenApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OpenApiError);
  return error as OpenApiError;
}

describe("package", () => {
  it("bundles for a browser or worker: no Node built-ins, only openapi-fetch", async () => {
    const result = await build({
      entryPoints: [join(repoRoot, "client", "index.ts")],
      bundle: true,
      platform: "browser",
      format: "esm",
      write: false,
      logLevel: "silent",
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(
      inputs
        .filter((path) => path.includes("node_modules"))
        .every((path) => /openapi-fetch|openapi-typescript-helpers/.test(path)),
    ).toBe(true);
    expect(inputs.some((path) => path.startsWith("node:"))).toBe(false);
  });

  it("versions the SDK as the spec's info.version and depends on openapi-fetch only", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "client", "package.json"), "utf8"));
    expect(pkg.version).toBe(loadBundledSpec().info.version);
    expect(pkg.dependencies).toEqual({ "openapi-fetch": "0.17.0" });
  });
});

describe("construction", () => {
  const valid = { baseUrl: "https://api-qa.rizzitbuy.com", clientId: "id", clientSecret: "secret", tenantId: "1" };
  it.each(["baseUrl", "clientId", "clientSecret", "tenantId"] as const)("names a missing or empty %s", (name) => {
    const { [name]: _, ...missing } = valid;
    expect(() => createOpenApiClient(missing as typeof valid)).toThrow(new RegExp(`${name} is missing or empty`));
    expect(() => createOpenApiClient({ ...valid, [name]: "  " })).toThrow(new RegExp(`${name} is missing or empty`));
  });

  it("rejects a baseUrl that is not an http(s) URL", () => {
    expect(() => createOpenApiClient({ ...valid, baseUrl: "api.rizzitgo.com" })).toThrow(/baseUrl .* is not a URL/);
    expect(() => createOpenApiClient({ ...valid, baseUrl: "ftp://api.rizzitgo.com" })).toThrow(/http\(s\) URL/);
  });

  it("refuses a baseUrl holding a user name or password, without echoing it", () => {
    for (const baseUrl of [
      "https://partner:hunter2-secret@api-qa.rizzitbuy.com",
      "https://hunter2-secret@api-qa.rizzitbuy.com",
      "https://:hunter2-secret@api-qa.rizzitbuy.com/",
    ]) {
      const error = (() => {
        try {
          createOpenApiClient({ ...valid, baseUrl });
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error?.message).toMatch(/baseUrl must not contain a user name or password/);
      expect(error?.message).not.toContain("hunter2");
    }
    // Not a URL at all, with an "@": refused without the value either.
    expect(() => createOpenApiClient({ ...valid, baseUrl: "user:hunter2@" })).toThrow(/^((?!hunter2).)*$/);
  });

  it("calls the given fetch unbound, as a browser's window.fetch requires", async () => {
    const strictFetch = async function (this: unknown, request: Request): Promise<Response> {
      if (this !== undefined) throw new TypeError("Illegal invocation");
      return request.url.endsWith(TOKEN_PATH) ? tokenAnswer("t") : ok(GOODS);
    };
    const client = createOpenApiClient({ ...valid, fetch: strictFetch });
    await expect(client.getGoodsDetail(detail)).resolves.toMatchObject({ goodsId: "123456" });
  });

  it("accepts a numeric tenantId and makes no request until the first call", () => {
    const h = harness(() => ok(GOODS), { tenantId: 1 });
    expect(h.requests).toHaveLength(0);
    expect(h.client).toBeDefined();
  });
});

describe("token cache", () => {
  it("200 concurrent calls on a cold cache cause exactly one token request", async () => {
    const h = harness(() => ok(GOODS));
    const results = await Promise.all(Array.from({ length: 200 }, () => h.client.getGoodsDetail(detail)));
    expect(results).toHaveLength(200);
    expect(results[0]?.goodsTitle).toBe("Sample Goods");
    expect(h.tokenRequests()).toHaveLength(1);
    expect(h.businessRequests()).toHaveLength(200);
    for (const request of h.businessRequests()) {
      expect(request.headers.authorization).toBe("Bearer token-1");
      expect(request.headers["tenant-id"]).toBe("1");
    }
  });

  it("asks for the token as the guide says: Basic credentials, tenant-id, a form body with the scopes", async () => {
    const h = harness(() => ok(GOODS), { scope: ["goods:detail:read", "goods:qc:read"] });
    await h.client.getGoodsDetail(detail);
    const [token] = h.tokenRequests();
    expect(token?.method).toBe("POST");
    expect(token?.headers.authorization).toBe(`Basic ${btoa("partner-app:s3cret-value")}`);
    expect(token?.headers["tenant-id"]).toBe("1");
    expect(token?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(new URLSearchParams(token?.body)).toEqual(
      new URLSearchParams({ grant_type: "client_credentials", scope: "goods:detail:read goods:qc:read" }),
    );
  });

  it("reuses the token until refreshBufferSeconds before expiry, then refreshes once for concurrent calls", async () => {
    const h = harness(() => ok(GOODS), { refreshBufferSeconds: 60 });
    await h.client.getGoodsDetail(detail);
    h.advance((1800 - 61) * 1000);
    await h.client.getGoodsDetail(detail);
    expect(h.tokenRequests()).toHaveLength(1);

    h.advance(2000); // 59 s left: inside the buffer
    await Promise.all(Array.from({ length: 50 }, () => h.client.getGoodsDetail(detail)));
    expect(h.tokenRequests()).toHaveLength(2);
    expect(h.businessRequests().at(-1)?.headers.authorization).toBe("Bearer token-2");
  });

  it("refreshes at half-life when the token lives shorter than twice the buffer", async () => {
    const h = harness(() => ok(GOODS), { tokenScript: (_r, i) => tokenAnswer(`short-${i}`, 30) });
    await h.client.getGoodsDetail(detail);
    h.advance(14_000);
    await h.client.getGoodsDetail(detail);
    expect(h.tokenRequests()).toHaveLength(1);
    h.advance(2000);
    await h.client.getGoodsDetail(detail);
    expect(h.tokenRequests()).toHaveLength(2);
  });

  it("keeps using a still-valid token when a refresh ahead of expiry fails", async () => {
    let refreshes = 0;
    const h = harness(() => ok(GOODS), {
      retry: false,
      tokenScript: () => (refreshes++ === 0 ? tokenAnswer("first") : protocolError(500, "Internal server error")),
    });
    await h.client.getGoodsDetail(detail);
    h.advance(1790 * 1000);
    await h.client.getGoodsDetail(detail);
    expect(h.tokenRequests()).toHaveLength(2);
    expect(h.businessRequests().at(-1)?.headers.authorization).toBe("Bearer first");
  });

  it("reports refused client credentials as an auth error of issueToken, without looping", async () => {
    const h = harness(() => ok(GOODS), {
      tokenScript: () => protocolError(401, "Client authentication failed", { "www-authenticate": "Basic" }),
    });
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "auth", operationId: "issueToken", status: 401, code: 401 });
    expect(h.tokenRequests()).toHaveLength(1);
    expect(h.businessRequests()).toHaveLength(0);
    expect(error.message).not.toContain("s3cret-value");
    // The message names the token request, not a retry that never happened.
    expect(error.message).toContain("the token request (POST /open-api/system/oauth2/token) refused the client");
    expect(error.message).not.toMatch(/retried/);
  });
});

describe("401 handling", () => {
  it("drops the token, fetches a new one and retries once", async () => {
    const h = harness((request) =>
      request.headers.authorization === "Bearer token-1" ? protocolError(401, "Token expired") : ok(GOODS),
    );
    const goods = await h.client.getGoodsDetail(detail);
    expect(goods.goodsId).toBe("123456");
    expect(h.requests.map((r) => `${r.path === TOKEN_PATH ? "token" : "call"} ${r.headers.authorization}`)).toEqual([
      `token Basic ${btoa("partner-app:s3cret-value")}`,
      "call Bearer token-1",
      `token Basic ${btoa("partner-app:s3cret-value")}`,
      "call Bearer token-2",
    ]);
  });

  it("200 concurrent calls refused with the same token share one re-fetch", async () => {
    const h = harness((request) =>
      request.headers.authorization === "Bearer token-1" ? protocolError(401, "Token revoked") : ok(GOODS),
    );
    await Promise.all(Array.from({ length: 200 }, () => h.client.getGoodsDetail(detail)));
    expect(h.tokenRequests()).toHaveLength(2);
    expect(h.businessRequests()).toHaveLength(400);
  });

  it("a second 401 is an auth error, after exactly two calls and two token requests", async () => {
    const h = harness(() => protocolError(401, "Token is invalid"));
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "auth", status: 401, code: 401, msg: "Token is invalid" });
    expect(error.operationId).toBe("getGoodsDetail");
    expect(error.attempts).toBe(2);
    expect(h.businessRequests()).toHaveLength(2);
    expect(h.tokenRequests()).toHaveLength(2);
  });

  it("treats HTTP 200 with code 401 in the envelope as a 401", async () => {
    const h = harness((request) =>
      request.headers.authorization === "Bearer token-1" ? envelope(401, null, { msg: "Token expired" }) : ok(GOODS),
    );
    await expect(h.client.getGoodsDetail(detail)).resolves.toMatchObject({ goodsId: "123456" });
    expect(h.tokenRequests()).toHaveLength(2);

    const always = harness(() => envelope(401, null, { msg: "Token expired" }));
    const error = await failure(always.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "auth", status: 200, code: 401 });
    expect(always.businessRequests()).toHaveLength(2);
  });
});

describe("backoff", () => {
  it("waits Retry-After on a 429, then succeeds", async () => {
    const h = harness((_r, index) =>
      index === 1 ? protocolError(429, "Too many requests", { "retry-after": "3" }) : ok(GOODS),
    );
    await h.client.getGoodsDetail(detail);
    expect(h.businessRequests()).toHaveLength(2);
    expect(h.sleeps).toEqual([3000]);
  });

  it("backs off 1 s, 2 s, 4 s on a 429 without Retry-After, then gives up as rateLimit", async () => {
    const h = harness(() => protocolError(429, "Too many requests"));
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "rateLimit", status: 429, code: 429, attempts: 4 });
    expect(h.sleeps).toEqual([1000, 2000, 4000]);
    expect(h.businessRequests()).toHaveLength(4);
  });

  it("gives up at once when Retry-After is longer than maxDelayMs", async () => {
    const h = harness(() => protocolError(429, "Too many requests", { "retry-after": "120" }));
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "rateLimit", attempts: 1, retryAfterMs: 120_000 });
    expect(h.sleeps).toEqual([]);
  });

  it("retries a 503 and an HTTP 200 carrying code 429", async () => {
    const h = harness((_r, index) =>
      index === 1 ? protocolError(503, "Service unavailable") : index === 2 ? envelope(429, null) : ok(GOODS),
    );
    await h.client.getGoodsDetail(detail);
    expect(h.businessRequests()).toHaveLength(3);
    expect(h.sleeps).toHaveLength(2);
  });

  it("retries network failures and reports a network error when they persist", async () => {
    let failures = 2;
    const flaky = harness(() => {
      if (failures-- > 0) throw new TypeError("fetch failed");
      return ok(GOODS);
    });
    await expect(flaky.client.getGoodsDetail(detail)).resolves.toMatchObject({ goodsId: "123456" });
    expect(flaky.businessRequests()).toHaveLength(3);

    const down = harness(() => {
      throw new TypeError("fetch failed");
    });
    const error = await failure(down.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "network", status: null, code: null, attempts: 4 });
    expect(error.cause).toBeInstanceOf(TypeError);
  });

  it("makes one attempt with retry: false", async () => {
    const h = harness(() => protocolError(503, "Service unavailable"), { retry: false });
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind: "server", status: 503, attempts: 1 });
  });

  it("stops waiting when the caller aborts", async () => {
    const controller = new AbortController();
    const h = harness(() => protocolError(429, "Too many requests"), {
      hooks: {
        sleep: async () => {
          controller.abort(new Error("caller gave up"));
          throw controller.signal.reason;
        },
      },
    });
    await expect(h.client.getGoodsDetail(detail, { signal: controller.signal })).rejects.toThrow("caller gave up");
    expect(h.businessRequests()).toHaveLength(1);
  });
});

describe("errors", () => {
  it("a business error (HTTP 200, non-zero code) is not retried", async () => {
    const h = harness(() => envelope(1008005000, null, { msg: "Goods does not exist" }));
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({
      kind: "business",
      status: 200,
      code: 1008005000,
      msg: "Goods does not exist",
      operationId: "getGoodsDetail",
      businessKey: "GOODS_NOT_EXISTS",
    });
    expect(error.code).toBe(BusinessCode.GOODS_NOT_EXISTS);
    expect(h.businessRequests()).toHaveLength(1);
  });

  it("businessKey is null for a code the spec does not list, and for other kinds", async () => {
    const unknown = harness(() => envelope(1999999999, null, { msg: "Something new" }));
    expect(await failure(unknown.client.getGoodsDetail(detail))).toMatchObject({ kind: "business", businessKey: null });
    const refused = harness(() => protocolError(403, "scope"));
    expect(await failure(refused.client.getGoodsDetail(detail))).toMatchObject({ kind: "scope", businessKey: null });
  });

  it.each([
    [400, "validation"],
    [403, "scope"],
    [500, "server"],
  ] as const)("HTTP %i is a %s error, not retried", async (status, kind) => {
    const h = harness(() => protocolError(status, "refused"));
    const error = await failure(h.client.getGoodsDetail(detail));
    expect(error).toMatchObject({ kind, status, code: status });
    expect(h.businessRequests()).toHaveLength(1);
  });

  it("an answer that is not the envelope is a server error", async () => {
    const html = harness(
      () => new Response("<html>Bad gateway</html>", { status: 200, headers: { "content-type": "text/html" } }),
    );
    const htmlError = await failure(html.client.getGoodsDetail(detail));
    expect(htmlError).toMatchObject({ kind: "server", status: 200, code: null });
    expect(htmlError.msg).toContain("content-type text/html");
    const bare = harness(() => new Response(JSON.stringify({ hello: 1 }), { status: 200 }));
    expect(await failure(bare.client.getGoodsDetail(detail))).toMatchObject({
      kind: "server",
      status: 200,
      code: null,
    });
  });
});

const requestIdOf = (request: RecordedRequest) => (request.json as { requestId?: string }).requestId;

describe("redemption", () => {
  const redeem = { code: "E602F4DC626E4948", email: "member@example.com" };
  const result = { ...redeem, prize: "30% OFF", success: true, message: "ok", coupons: [] };

  it("generates one requestId per call and sends the same one on every retry", async () => {
    let failures = 2;
    const h = harness(() => {
      if (failures-- > 0) throw new TypeError("socket hang up");
      return ok(result);
    });
    await h.client.redeemCouponCode(redeem);
    const ids = h.businessRequests().map(requestIdOf);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);

    await h.client.redeemCouponCode(redeem);
    const next = h.businessRequests().map(requestIdOf).at(-1);
    expect(next).not.toBe(ids[0]);
  });

  it("keeps the caller's requestId, across a 401 re-fetch and a 429 too", async () => {
    const h = harness((request, index) => {
      if (request.headers.authorization === "Bearer token-1") return protocolError(401, "Token expired");
      return index === 3 ? protocolError(429, "Too many requests") : ok(result);
    });
    await h.client.redeemCouponCode({ ...redeem, requestId: "REQ-20260604-0001" });
    const ids = h.businessRequests().map(requestIdOf);
    expect(ids).toEqual(["REQ-20260604-0001", "REQ-20260604-0001", "REQ-20260604-0001"]);
  });
});

describe("pagination", () => {
  const qc = (n: number) => ({
    goodsId: String(n),
    qcPathList: [],
    length: "1",
    width: "1",
    height: "1",
    weight: "1",
    volume: "1",
    completionTime: "2026-06-02 18:30:00",
  });

  it("walks pageGoodsQc until pageNo * pageSize >= total", async () => {
    const h = harness((request) => {
      const { pageNo, pageSize } = request.json as { pageNo: number; pageSize: number };
      const items = [1, 2, 3, 4, 5].slice((pageNo - 1) * pageSize, pageNo * pageSize).map(qc);
      return ok({ list: items, total: 5 });
    });
    const seen: string[] = [];
    for await (const record of h.client.iterateGoodsQc({ pageSize: 2, source: 1 })) seen.push(record.goodsId);
    expect(seen).toEqual(["1", "2", "3", "4", "5"]);
    expect(h.businessRequests().map((r) => r.json)).toEqual([
      { pageSize: 2, source: 1, pageNo: 1 },
      { pageSize: 2, source: 1, pageNo: 2 },
      { pageSize: 2, source: 1, pageNo: 3 },
    ]);
  });

  it("stops on an empty page even if total says more", async () => {
    const h = harness(() => ok({ list: [], total: 99 }));
    const seen = [];
    for await (const record of h.client.iterateGoodsQc({ pageSize: 10 })) seen.push(record);
    expect(seen).toEqual([]);
    expect(h.businessRequests()).toHaveLength(1);
  });

  it("walks searchGoodsByImage until totalPage, and stops early when the caller breaks", async () => {
    const hit = { ...GOODS, originPriceInCents: 9900, hasDiscount: false, discountPriceInCents: 9900 };
    const h = harness((request) => {
      const { page } = request.json as { page: number };
      return ok({ goodsList: [hit, hit], page, size: 2, totalPage: 3, totalCount: 6 });
    });
    const query = { imagesUrl: "https://example.com/img/query.jpg", source: 1 } as const;
    let count = 0;
    for await (const _ of h.client.iterateGoodsByImage(query)) count++;
    expect(count).toBe(6);
    expect(h.businessRequests().map((r) => (r.json as { page: number }).page)).toEqual([1, 2, 3]);

    const before = h.businessRequests().length;
    for await (const _ of h.client.iterateGoodsByImage({ ...query, page: 2 })) break;
    expect(
      h
        .businessRequests()
        .slice(before)
        .map((r) => (r.json as { page: number }).page),
    ).toEqual([2]);
  });
});

describe("revokeToken and close", () => {
  it("revokes the cached token with the client credentials; the next call fetches a new one", async () => {
    const h = harness((request) => (request.path === REVOKE_PATH ? ok(true) : ok(GOODS)));
    await h.client.getGoodsDetail(detail);
    await h.client.revokeToken();
    const revoke = h.requests.find((r) => r.path === REVOKE_PATH);
    expect(revoke?.headers.authorization).toMatch(/^Basic /);
    expect(new URLSearchParams(revoke?.body).get("token")).toBe("token-1");
    await h.client.getGoodsDetail(detail);
    expect(h.businessRequests().at(-1)?.headers.authorization).toBe("Bearer token-2");
  });

  it("close() revokes and then refuses further calls", async () => {
    const h = harness((request) => (request.path === REVOKE_PATH ? protocolError(500, "down") : ok(GOODS)));
    await h.client.getGoodsDetail(detail);
    await h.client.close();
    expect(h.requests.some((r) => r.path === REVOKE_PATH)).toBe(true);
    await expect(h.client.getGoodsDetail(detail)).rejects.toThrow(/client was closed/);
  });

  it("the raw openapi-fetch client gets tenant-id, the token and retries too", async () => {
    const h = harness((_r, index) => (index === 1 ? protocolError(503, "busy") : ok(GOODS)));
    const { data, response } = await h.client.raw.POST("/open-api/goods/detail", { body: detail });
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ code: 0, data: { goodsId: "123456" } });
    expect(h.businessRequests().map((r) => r.headers["tenant-id"])).toEqual(["1", "1"]);
  });
});
