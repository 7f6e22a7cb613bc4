// Redirects with the runtime's own fetch (no `fetch` option): on Node the SDK asks undici not to follow them
// (following costs a copy of every request body, see client/src/runtime-fetch.ts) and, on a redirect, sends the
// call again following it. A gateway that redirects still answers; one that does not costs one request per call.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOpenApiClient } from "../../client/index.ts";
import { GOODS } from "./scripted-fetch.ts";

const detail = { goodsId: "123456", source: 1 } as const;
const token = { access_token: "t", refresh_token: "", token_type: "Bearer", expires_in: 1800, scope: "" };

interface Hit {
  path: string;
  body: string;
  tenantId: string | undefined;
}

let server: Server;
let baseUrl: string;
const hits: Hit[] = [];

function text(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk: string) => {
      body += chunk;
    });
    request.on("end", () => resolve(body));
  });
}

beforeAll(async () => {
  // /moved/... is where the goods moved to (a 307 keeps the method and the body); /plain/... does not redirect.
  server = createServer(async (request, response) => {
    const path = request.url ?? "";
    const body = await text(request);
    hits.push({ path, body, tenantId: request.headers["tenant-id"] as string | undefined });
    const answer = (data: unknown) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ code: 0, data, msg: "" }));
    };
    if (path.endsWith("/oauth2/token")) return answer(token);
    if (path.endsWith("/oauth2/token/revoke")) return answer(true);
    if (path.startsWith("/moved/")) return answer(JSON.parse(body).goodsId === detail.goodsId ? GOODS : null);
    if (path.startsWith("/plain/")) return answer(GOODS);
    response.writeHead(307, { location: `/moved${path}` });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const client = (base: string) =>
  createOpenApiClient({ baseUrl: base, clientId: "app", clientSecret: "secret", tenantId: "1" });

describe("redirects, with the runtime's fetch", () => {
  it("follows a 307 with the same body and headers; after the first, without a second try", async () => {
    hits.length = 0;
    const sdk = client(baseUrl);
    await expect(sdk.getGoodsDetail(detail)).resolves.toMatchObject({ goodsId: GOODS.goodsId });
    await expect(sdk.getGoodsDetail(detail)).resolves.toMatchObject({ goodsId: GOODS.goodsId });
    const paths = hits.map((hit) => hit.path);
    expect(paths).toEqual([
      "/open-api/system/oauth2/token",
      // The first call: asked not to follow, then sent again following the redirect.
      "/open-api/goods/detail",
      "/open-api/goods/detail",
      "/moved/open-api/goods/detail",
      // The second call follows at once.
      "/open-api/goods/detail",
      "/moved/open-api/goods/detail",
    ]);
    for (const hit of hits.slice(1)) {
      expect(JSON.parse(hit.body)).toEqual(detail);
      expect(hit.tenantId).toBe("1");
    }
    await sdk.close();
  });

  it("sends one request per call to a gateway that does not redirect", async () => {
    hits.length = 0;
    const sdk = client(`${baseUrl}/plain`);
    for (let i = 0; i < 3; i++) await expect(sdk.getGoodsDetail(detail)).resolves.toMatchObject(GOODS);
    expect(hits.map((hit) => hit.path)).toEqual([
      "/plain/open-api/system/oauth2/token",
      "/plain/open-api/goods/detail",
      "/plain/open-api/goods/detail",
      "/plain/open-api/goods/detail",
    ]);
    await sdk.close();
  });
});
