// `npm start` as the README tells a new user to run it: it builds the docs, starts the sandbox, prints the demo
// credentials, and serves both the API and the docs site from one origin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningProcess, startProcess } from "../helpers.ts";
import { bearer, call, demo, goodsQuery, tokenRequest } from "../sandbox/sandbox-client.ts";

describe("npm start", () => {
  let server: RunningProcess;
  let baseUrl = "";

  beforeAll(async () => {
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    server = await startProcess({
      command: "npm",
      args: ["start", "--silent"],
      env: { PORT: String(port), HOST: "127.0.0.1", SANDBOX_DB: ":memory:" },
      isReady: async () => (await fetch(`${baseUrl}/docs/`)).status === 200,
      timeoutMs: 120_000,
    });
  });
  afterAll(() => server?.stop());

  it("prints where it listens and the demo credentials", () => {
    const output = server.output();
    expect(output).toContain(`listening on ${baseUrl}`);
    expect(output).toContain("sandbox-demo / sandbox-demo-secret");
    expect(output).toContain("sandbox-goods-reader / sandbox-goods-reader-secret");
    expect(output).toContain(`${baseUrl}/docs/`);
  });

  it("serves the docs site in both languages", async () => {
    for (const page of ["/docs/", "/docs/en/", "/docs/zh-CN/"]) {
      const response = await fetch(`${baseUrl}${page}`);
      expect(response.status, page).toBe(200);
      expect(response.headers.get("content-type"), page).toContain("text/html");
    }
    expect(await (await fetch(`${baseUrl}/docs/zh-CN/`)).text()).toContain("开放平台");
  });

  it("issues a token with the printed credentials and answers the guide's first call", async () => {
    const issued = await tokenRequest(baseUrl, demo, { grant_type: "client_credentials", scope: "goods:detail:read" });
    expect(issued.body).toMatchObject({ code: 0, data: { token_type: "Bearer", scope: "goods:detail:read" } });
    const accessToken = (issued.body.data as { access_token: string }).access_token;
    const detail = await call(baseUrl, "/open-api/goods/detail", goodsQuery, bearer(accessToken));
    expect(detail.body).toMatchObject({ code: 0, data: { goodsId: "123456", goodsSource: 1 } });
  });
});
