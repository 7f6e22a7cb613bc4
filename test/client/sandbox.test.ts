// The SDK against the stateful sandbox (started here, on a file store so the admin CLI can change it): real
// tokens, scopes, tenants, revocation, idempotent redemption and a real QPS limiter.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BusinessCode, createOpenApiClient, type OpenApiClientOptions, OpenApiError } from "../../client/index.ts";
import { bin, repoRoot, startSandbox } from "../helpers.ts";

const run = promisify(execFile);
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let scratch: string;
let dbPath: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rizzit-sdk-sandbox-"));
  dbPath = join(scratch, "sandbox.db");
  sandbox = await startSandbox({ dbPath, env: { SANDBOX_LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  await sandbox?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

interface Seen {
  path: string;
  status: number;
  authorization: string;
}

/** A demo-app client whose every HTTP exchange is recorded (the network is real). */
function client(options: Partial<OpenApiClientOptions> = {}) {
  const seen: Seen[] = [];
  const sdk = createOpenApiClient({
    baseUrl: sandbox.baseUrl,
    clientId: "sandbox-demo",
    clientSecret: "sandbox-demo-secret",
    tenantId: "1",
    fetch: async (request) => {
      const authorization = request.headers.get("authorization") ?? "";
      const response = await fetch(request);
      seen.push({ path: new URL(request.url).pathname, status: response.status, authorization });
      return response;
    },
    ...options,
  });
  const tokenRequests = () => seen.filter((s) => s.path === "/open-api/system/oauth2/token");
  return { sdk, seen, tokenRequests };
}

async function failure(promise: Promise<unknown>): Promise<OpenApiError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenApiError);
  return error as OpenApiError;
}

describe("SDK against the sandbox", () => {
  it("calls every operation with one token for 50 concurrent calls", async () => {
    const { sdk, tokenRequests } = client();
    const details = await Promise.all(
      Array.from({ length: 50 }, () => sdk.getGoodsDetail({ goodsId: "123456", source: 1 })),
    );
    expect(details.every((d) => d.goodsId === "123456")).toBe(true);
    expect(tokenRequests()).toHaveLength(1);

    await sdk.listGoodsQcImages({ goodsId: "123456", source: 1 });
    const qc = [];
    for await (const record of sdk.iterateGoodsQc({ pageSize: 2 })) qc.push(record);
    const page = await sdk.pageGoodsQc({ pageNo: 1, pageSize: 100 });
    expect(qc).toHaveLength(page.total);
    const hits = [];
    for await (const hit of sdk.iterateGoodsByImage({ imagesUrl: "https://example.com/img/query.jpg", source: 1 })) {
      hits.push(hit);
      if (hits.length >= 60) break;
    }
    expect(hits.length).toBeGreaterThan(0);
    const parsed = await sdk.parseGoodsUrl({ searchUrl: "https://detail.tmall.com/item.htm?id=768650559131" });
    expect(parsed).toMatchObject({ goodsId: "768650559131", goodsSource: 1 });
    expect(tokenRequests()).toHaveLength(1);
    await sdk.close();
  }, 180_000);

  it("reports an unknown goods item as a business error", async () => {
    const { sdk } = client();
    const error = await failure(sdk.getGoodsDetail({ goodsId: "404404404", source: 1 }));
    expect(error).toMatchObject({ kind: "business", status: 200, code: 1008005000, operationId: "getGoodsDetail" });
    expect(error.code).toBe(BusinessCode.GOODS_NOT_EXISTS);
    expect(error.businessKey).toBe("GOODS_NOT_EXISTS");
  });

  it("an aborted call fails at once; the token request it shared goes on and serves the other calls", async () => {
    const { sdk, seen, tokenRequests } = client();
    const controller = new AbortController();
    const aborted = sdk.getGoodsDetail({ goodsId: "123456", source: 1 }, { signal: controller.signal });
    const others = Array.from({ length: 3 }, () => sdk.getGoodsDetail({ goodsId: "123456", source: 1 }));
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(Promise.all(others)).resolves.toHaveLength(3);
    expect(tokenRequests()).toHaveLength(1);
    expect(seen.filter((s) => s.path === "/open-api/goods/detail")).toHaveLength(3);
    await sdk.close();
  });

  it("close() cancels the calls in flight and revokes the token", async () => {
    const { sdk, seen } = client();
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    const bearer = seen.find((s) => s.path === "/open-api/goods/detail")?.authorization ?? "";
    const inFlight = Array.from({ length: 5 }, () =>
      sdk.pageGoodsQc({ pageNo: 1, pageSize: 50 }).then(
        () => "done",
        (error: Error) => error.name,
      ),
    );
    await sdk.close();
    // Each call either finished before close() or was cancelled by it: none hangs, none fails otherwise.
    for (const outcome of await Promise.all(inFlight)) expect(["done", "AbortError"]).toContain(outcome);
    const revoked = seen.find((s) => s.path === "/open-api/system/oauth2/token/revoke");
    expect(revoked?.status).toBe(200);
    const withOldToken = await fetch(`${sandbox.baseUrl}/open-api/goods/detail`, {
      method: "POST",
      headers: { authorization: bearer, "tenant-id": "1", "content-type": "application/json" },
      body: JSON.stringify({ goodsId: "123456", source: 1 }),
    });
    expect(bearer).toMatch(/^Bearer /);
    expect(withOldToken.status).toBe(401);
    await expect(sdk.getGoodsDetail({ goodsId: "123456", source: 1 })).rejects.toThrow(/client was closed/);
  });

  it("redeems once per requestId: the same requestId again is business error 900", async () => {
    const { sdk } = client();
    const requestId = `sdk-test-${Date.now()}`;
    const redeemed = await sdk.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com", requestId });
    expect(redeemed).toMatchObject({ code: "E602F4DC626E4948", success: true });
    const repeat = await failure(
      sdk.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com", requestId }),
    );
    expect(repeat).toMatchObject({ kind: "business", code: 900 });
  });

  it("a token revoked behind the SDK's back is re-fetched once and the call succeeds", async () => {
    const { sdk, seen, tokenRequests } = client();
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    const bearer = seen.at(-1)?.authorization.replace("Bearer ", "") ?? "";
    const revoked = await fetch(`${sandbox.baseUrl}/open-api/system/oauth2/token/revoke`, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa("sandbox-demo:sandbox-demo-secret")}`,
        "tenant-id": "1",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: bearer }),
    });
    expect(revoked.status).toBe(200);
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    expect(seen.map((s) => s.status)).toEqual([200, 200, 401, 200, 200]);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("revokeToken() makes the old token useless and the next call fetches a new one", async () => {
    const { sdk, seen, tokenRequests } = client();
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    await sdk.revokeToken();
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    expect(tokenRequests()).toHaveLength(2);
    expect(seen.some((s) => s.status === 401)).toBe(false);
  });

  it("maps the platform's refusals to kinds", async () => {
    const wrongSecret = client({ clientSecret: "not-the-secret" }).sdk;
    const refused = await failure(wrongSecret.getGoodsDetail({ goodsId: "123456", source: 1 }));
    expect(refused).toMatchObject({ kind: "auth", status: 401, operationId: "issueToken" });
    expect(refused.message).toContain("the token request (POST /open-api/system/oauth2/token) refused");
    expect(refused.message).not.toContain("not-the-secret");

    const reader = { clientId: "sandbox-goods-reader", clientSecret: "sandbox-goods-reader-secret" };
    const limited = client(reader).sdk;
    await expect(limited.getGoodsDetail({ goodsId: "123456", source: 1 })).resolves.toBeDefined();
    expect(await failure(limited.getGoodsQcDetail({ goodsId: "123456", source: 1 }))).toMatchObject({
      kind: "scope",
      status: 403,
      operationId: "getGoodsQcDetail",
    });

    const askedTooMuch = client({ ...reader, scope: ["goods:detail:read", "goods:qc:read"] }).sdk;
    expect(await failure(askedTooMuch.getGoodsDetail({ goodsId: "123456", source: 1 }))).toMatchObject({
      kind: "validation",
      status: 400,
      operationId: "issueToken",
    });

    const otherTenant = client({ tenantId: "2" }).sdk;
    const tenantError = await failure(otherTenant.getGoodsDetail({ goodsId: "123456", source: 1 }));
    // The spec: a tenant-id that is not the application's answers the token request with 403 (ClientForbidden).
    expect(tenantError).toMatchObject({ kind: "scope", status: 403, operationId: "issueToken" });
  });

  it("backs off on the sandbox's real QPS limit and gets every call through", async () => {
    const { sdk, seen } = client({ retry: { maxAttempts: 8, baseDelayMs: 200, maxDelayMs: 5000 } });
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 }); // token first, before the limit
    await run(bin("tsx"), [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), "set-qps", "sandbox-demo", "2"], {
      env: { ...process.env, SANDBOX_DB: dbPath },
    });
    try {
      const results = await Promise.all(
        Array.from({ length: 6 }, () => sdk.getGoodsDetail({ goodsId: "123456", source: 1 })),
      );
      expect(results).toHaveLength(6);
      expect(seen.filter((s) => s.status === 429).length).toBeGreaterThan(0);
    } finally {
      await run(bin("tsx"), [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), "set-qps", "sandbox-demo", "0"], {
        env: { ...process.env, SANDBOX_DB: dbPath },
      });
    }
  });
});

describe("SDK against a sandbox with 1-second tokens", () => {
  let shortLived: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    shortLived = await startSandbox({ env: { SANDBOX_TOKEN_TTL: "1", SANDBOX_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await shortLived?.stop();
  });

  it("a token the platform expired before the SDK expected is re-fetched on the 401", async () => {
    const statuses: number[] = [];
    const frozen = Date.now();
    const sdk = createOpenApiClient({
      baseUrl: shortLived.baseUrl,
      clientId: "sandbox-demo",
      clientSecret: "sandbox-demo-secret",
      tenantId: "1",
      // The SDK's clock stands still, so only the platform knows the token has expired (clock skew, early expiry).
      hooks: { now: () => frozen },
      fetch: async (request) => {
        const response = await fetch(request);
        statuses.push(response.status);
        return response;
      },
    });
    await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expect(sdk.getGoodsDetail({ goodsId: "123456", source: 1 })).resolves.toMatchObject({ goodsId: "123456" });
    expect(statuses).toEqual([200, 200, 401, 200, 200]);
  });
});
