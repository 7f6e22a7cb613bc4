// Findings 1 and 2 of the hardening review: a request is authorised when it is served, not when its headers
// arrived. Each test holds a request's body open on a real socket while operations act (the admin CLI on the same
// store file, or a revocation), then releases it: what operations did in between must count.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { admin, createApp } from "./admin.ts";
import { holdRequest, pause } from "./raw-http.ts";
import { basic, goodsQuery, send, token } from "./sandbox-client.ts";
import { engines, storeLocation } from "./stores.ts";

describe.each(engines)("checks at serve time on %s", (engine) => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let dir: string;
  let dbPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sandbox-served-"));
    dbPath = await storeLocation(engine, join(dir, "store.db"));
    sandbox = await startSandbox({ dbPath });
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const form = "grant_type=client_credentials";
  const redeemBody = (requestId: string) =>
    JSON.stringify({ code: "E602F4DC626E4948", email: "member@example.com", requestId });

  // The headers' checks (onRequest) must have run before operations act: a pause, not an assertion on time.
  const headersJudged = () => pause(400);

  describe("a request is judged when it is served", () => {
    it("a token request sent with the old secret and finished after reset-secret answers 401, issuing nothing", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const held = await holdRequest(sandbox.port, {
        path: "/open-api/system/oauth2/token",
        headers: {
          authorization: basic(app.clientId, app.secret),
          "tenant-id": "1",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
      });
      await headersJudged();
      await admin(dbPath, "reset-secret", app.clientId);
      const answer = await held.release();
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        code: 401,
        data: null,
        msg: "client authentication failed: check clientId and clientSecret",
      });
    });

    it("a redemption whose token is revoked while its body is in flight issues no coupon", async () => {
      const app = await createApp(dbPath, "promotion:redeem-code:redeem");
      const accessToken = await token(sandbox.baseUrl, app);
      const held = await holdRequest(sandbox.port, {
        path: "/open-api/promotion/redeem-code/redeem",
        headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: redeemBody("in-flight-revoked"),
      });
      await headersJudged();
      const revoked = await send(`${sandbox.baseUrl}/open-api/system/oauth2/token/revoke`, {
        method: "POST",
        headers: {
          authorization: basic(app.clientId, app.secret),
          "tenant-id": "1",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams({ token: accessToken }).toString(),
      });
      expect(revoked.body).toEqual({ code: 0, data: true, msg: "" });
      const answer = await held.release();
      expect(answer.status).toBe(401);
      expect(answer.body?.msg).toBe("access token has been revoked: fetch a new token and retry");
      expect(await admin(dbPath, "list-redemptions", "--email", "member@example.com")).not.toContain(
        "in-flight-revoked",
      );
    });

    it("a scope withdrawn while the body is in flight answers 403 and issues no coupon", async () => {
      const app = await createApp(dbPath, "promotion:redeem-code:redeem,goods:detail:read");
      const accessToken = await token(sandbox.baseUrl, app);
      const held = await holdRequest(sandbox.port, {
        path: "/open-api/promotion/redeem-code/redeem",
        headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: redeemBody("in-flight-scope"),
      });
      await headersJudged();
      await admin(dbPath, "grant-scopes", app.clientId, "goods:detail:read");
      const answer = await held.release();
      expect(answer.status).toBe(403);
      expect(answer.body?.msg).toBe("insufficient scope: this operation requires promotion:redeem-code:redeem");
      expect(await admin(dbPath, "list-redemptions")).not.toContain("in-flight-scope");
    });

    it("an IP whitelist set while the body is in flight refuses the request", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const accessToken = await token(sandbox.baseUrl, app);
      const held = await holdRequest(sandbox.port, {
        path: "/open-api/goods/detail",
        headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: JSON.stringify(goodsQuery),
      });
      await headersJudged();
      await admin(dbPath, "set-whitelist", app.clientId, "203.0.113.0/24");
      const answer = await held.release();
      expect(answer.status).toBe(403);
      expect(answer.body?.msg).toBe("IP 127.0.0.1 is not in this application's whitelist");
    });
  });

  describe("the QPS limit counts requests when they are served", () => {
    it("requests whose headers arrived at the allowed rate but whose bodies arrive together are limited", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const accessToken = await token(sandbox.baseUrl, app);
      await admin(dbPath, "set-qps", app.clientId, "2");
      const held = [];
      // Headers at 2 per second: within the limit when counted at headers time.
      for (let i = 0; i < 6; i++) {
        held.push(
          await holdRequest(sandbox.port, {
            path: "/open-api/goods/detail",
            headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
            body: JSON.stringify(goodsQuery),
          }),
        );
        if (i % 2 === 1) await pause(1050);
      }
      const answers = await Promise.all(held.map((request) => request.release()));
      const ok = answers.filter((a) => a.status === 200);
      const limited = answers.filter((a) => a.status === 429);
      // Released together, they are served within one or two one-second windows: at most 2 each.
      expect(ok.length).toBeLessThanOrEqual(4);
      expect(ok.length + limited.length).toBe(6);
      expect(limited[0]?.headers["retry-after"]).toBe("1");
      expect(limited[0]?.body?.msg).toMatch(/^rate limit exceeded: at most 2 requests per second/);
    });
  });
});
