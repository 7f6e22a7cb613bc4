// The SDK against Prism serving the spec's examples (started here on a free port): every operation's request is
// one Prism accepts (tenant-id, bodies, token form), and every answer the spec documents is read right.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenApiClient, type OpenApiClientOptions, OpenApiError } from "../../client/index.ts";
import { startPrism } from "../helpers.ts";

let prism: Awaited<ReturnType<typeof startPrism>>;

beforeAll(async () => {
  prism = await startPrism();
});
afterAll(async () => {
  await prism?.stop();
});

/** A client on Prism; `prefer` picks Prism's answer for business calls (its `Prefer` header). */
function client(prefer?: string, options: Partial<OpenApiClientOptions> = {}) {
  const sleeps: number[] = [];
  const sdk = createOpenApiClient({
    baseUrl: prism.baseUrl,
    clientId: "sandbox-demo",
    clientSecret: "sandbox-demo-secret",
    tenantId: "1",
    fetch: (request) => {
      if (prefer !== undefined && !request.url.includes("/oauth2/")) request.headers.set("prefer", prefer);
      return fetch(request);
    },
    hooks: {
      sleep: async (ms) => {
        sleeps.push(ms);
      },
    },
    ...options,
  });
  return { sdk, sleeps };
}

async function failure(promise: Promise<unknown>): Promise<OpenApiError> {
  const error = await promise.catch((e: unknown) => e);
  expect(error).toBeInstanceOf(OpenApiError);
  return error as OpenApiError;
}

describe("SDK against Prism", () => {
  it("calls every operation and resolves to the example's data", async () => {
    const { sdk } = client();
    const goods = await sdk.getGoodsDetail({ goodsId: "123456", source: 1 });
    expect(goods).toMatchObject({ goodsId: "123456", goodsTitle: "Sample Goods", priceInCents: 9900 });
    expect((await sdk.getGoodsQcDetail({ goodsId: "123456", source: 1 })).goodsId).toBe("123456");
    expect(Array.isArray(await sdk.listGoodsQcImages({ goodsId: "123456", source: 1 }))).toBe(true);
    expect((await sdk.pageGoodsQc({ pageNo: 1, pageSize: 10 })).total).toBeGreaterThanOrEqual(0);
    const search = await sdk.searchGoodsByImage({ imagesUrl: "https://example.com/img/query.jpg", page: 1, source: 1 });
    expect(search.goodsList.length).toBeGreaterThan(0);
    expect((await sdk.parseGoodsUrl({ searchUrl: "https://detail.tmall.com/item.htm?id=768650559131" })).success).toBe(
      true,
    );
    const redeemed = await sdk.redeemCouponCode({ code: "E602F4DC626E4948", email: "member@example.com" });
    expect(redeemed.success).toBe(true);
    await sdk.close();
  });

  it("iterates the QC pages", async () => {
    const { sdk } = client();
    const records = [];
    for await (const record of sdk.iterateGoodsQc({ pageSize: 10 })) records.push(record);
    expect(records.length).toBeGreaterThan(0);
  });

  it("reads a documented business error", async () => {
    const { sdk } = client("example=GoodsResponseNotFound");
    const error = await failure(sdk.getGoodsDetail({ goodsId: "999", source: 1 }));
    expect(error).toMatchObject({ kind: "business", status: 200, code: 1008005000, msg: "Goods does not exist" });
  });

  it("backs off on the documented 429 with its Retry-After, then reports rateLimit", async () => {
    const { sdk, sleeps } = client("code=429", { retry: { maxAttempts: 3 } });
    const error = await failure(sdk.getGoodsDetail({ goodsId: "123456", source: 1 }));
    expect(error).toMatchObject({ kind: "rateLimit", status: 429, code: 429, attempts: 3 });
    expect(sleeps).toHaveLength(2);
    expect(error.retryAfterMs).toBeGreaterThanOrEqual(0);
    for (const ms of sleeps) expect(ms).toBeGreaterThanOrEqual(error.retryAfterMs ?? 0);
  });

  it.each([
    ["code=403", "scope", 403],
    ["code=400", "validation", 400],
    ["code=500", "server", 500],
  ] as const)("maps Prism's %s to %s", async (prefer, kind, status) => {
    const { sdk } = client(prefer);
    expect(await failure(sdk.getGoodsDetail({ goodsId: "123456", source: 1 }))).toMatchObject({ kind, status });
  });

  it("a request Prism rejects (an invalid body forced past the types) is a validation error", async () => {
    const { sdk } = client();
    const invalid = { goodsId: "123456", source: 7 } as unknown as { goodsId: string; source: 1 };
    const error = await failure(sdk.getGoodsDetail(invalid));
    expect(error.kind).toBe("validation");
    expect(error.status).toBeGreaterThanOrEqual(400);
  });
});
