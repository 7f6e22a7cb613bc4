// The partner's first five minutes: token, a business call, revocation, in the envelope the spec describes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { bearer, call, demo, goodsQuery, send, specChecker, token, tokenRequest } from "./sandbox-client.ts";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
const conforms = specChecker();

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("sandbox smoke", () => {
  it("prints the demo credentials and URLs on start", () => {
    expect(sandbox.output()).toContain("sandbox-demo / sandbox-demo-secret");
    expect(sandbox.output()).toContain(`${sandbox.baseUrl}/docs/`);
  });

  it("issues a token with all granted scopes when none is asked for", async () => {
    const answer = await tokenRequest(sandbox.baseUrl, demo);
    expect(answer.status).toBe(200);
    expect(conforms("/open-api/system/oauth2/token", answer)).toBeUndefined();
    expect(answer.body.data).toMatchObject({
      token_type: "Bearer",
      refresh_token: "",
      expires_in: 1800,
      scope: "goods:detail:read goods:qc:read goods:search:read promotion:redeem-code:redeem",
    });
  });

  it("answers goods detail with the token, and 401 once it is revoked", async () => {
    const accessToken = await token(sandbox.baseUrl);
    const ok = await call(sandbox.baseUrl, "/open-api/goods/detail", goodsQuery, bearer(accessToken));
    expect(ok.status).toBe(200);
    expect(conforms("/open-api/goods/detail", ok)).toBeUndefined();
    expect(ok.body).toMatchObject({ code: 0, msg: "", data: { goodsId: "123456" } });

    const revoked = await send(`${sandbox.baseUrl}/open-api/system/oauth2/token/revoke`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.secret}`).toString("base64")}`,
        "tenant-id": "1",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: accessToken }).toString(),
    });
    expect(revoked.body).toEqual({ code: 0, data: true, msg: "" });

    const after = await call(sandbox.baseUrl, "/open-api/goods/detail", goodsQuery, bearer(accessToken));
    expect(after.status).toBe(401);
    expect(after.body.msg).toBe("access token has been revoked: fetch a new token and retry");
    expect(conforms("/open-api/goods/detail", after)).toBeUndefined();
  });

  it("never violated the contract in its own response check", () => {
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });
});
