// The integration guide's own curl examples, read out of the guide text and sent as written to the sandbox:
// only the placeholders ({access_token}, {tenant-id}, Basic {base64(...)}) get real values, the gateway becomes
// the sandbox, and the scrubbed "[email protected]" (with a no-break space) becomes the demo member (see shared/guide/README.md).
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { basic, demo, send, specChecker, token } from "../sandbox/sandbox-client.ts";
import { guideCurls } from "./guide-curls.ts";

const GUIDE = "/work/shared/guide/integration-guide.clean.txt";
const conforms = specChecker();

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("the guide's request examples", () => {
  const curls = guideCurls(readFileSync(GUIDE, "utf8"));

  it("finds the guide's curl examples (token, every business endpoint, revoke)", () => {
    const paths = curls.map((c) => new URL(c.url).pathname);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/open-api/system/oauth2/token",
        "/open-api/goods/detail",
        "/open-api/goods/qc-detail",
        "/open-api/goods/qc-images",
        "/open-api/goods/qc-page",
        "/open-api/goods/search-by-images",
        "/open-api/goods/search-url-parse",
        "/open-api/promotion/redeem-code/redeem",
        "/open-api/system/oauth2/token/revoke",
      ]),
    );
    expect(curls.length).toBeGreaterThanOrEqual(10);
  });

  it("answers every one of them with success, in the envelope the spec describes", async () => {
    const accessToken = await token(sandbox.baseUrl);
    // The revocation example revokes the token it is given: it gets its own, and runs last.
    const ordered = [...curls].sort((a, b) => Number(a.url.endsWith("/revoke")) - Number(b.url.endsWith("/revoke")));
    for (const curl of ordered) {
      const tokenForThis = curl.url.endsWith("/revoke") ? await token(sandbox.baseUrl) : accessToken;
      const fill = (text: string) =>
        text
          .replaceAll("https://api.rizzitgo.com", sandbox.baseUrl)
          .replaceAll("Basic {base64(clientId:clientSecret)}", basic(demo.clientId, demo.secret))
          .replaceAll(/\{tenant-id\}|\{tenantId\}|\{tenant id\}/g, demo.tenantId)
          .replaceAll(/\{access_token\}|\$\{TOKEN\}/g, tokenForThis)
          .replaceAll(/\[email\s+protected\]/g, "member@example.com"); // the guide has a no-break space here
      const headers = Object.fromEntries(Object.entries(curl.headers).map(([k, v]) => [k, fill(v)]));
      const url = fill(curl.url);
      const answer = await send(url, {
        method: curl.method,
        headers,
        ...(curl.body === undefined ? {} : { body: fill(curl.body) }),
      });
      const where = `guide line ${curl.line}: ${curl.method} ${new URL(url).pathname}`;
      expect(answer.status, `${where} -> ${answer.text}`).toBe(200);
      expect(answer.body.code, `${where} -> ${answer.text}`).toBe(0);
      expect(conforms(new URL(url).pathname, answer), where).toBeUndefined();
    }
  });

  it("would notice an example the sandbox refuses (a checker that can fail)", async () => {
    const answer = await send(`${sandbox.baseUrl}/open-api/goods/detail`, {
      method: "POST",
      headers: { authorization: "Bearer {access_token}", "tenant-id": "1", "content-type": "application/json" },
      body: '{"goodsId":"123456","source":1}',
    });
    expect(answer.status).toBe(401);
  });
});
