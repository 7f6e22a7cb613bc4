// The whole security model against the running sandbox: every way a call can be refused, with the status, the
// envelope code and the message the spec gives, and every answer checked against the spec.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../mock/sandbox/open-store.ts";
import { startSandbox } from "../helpers.ts";
import { admin, adminFails, createApp, secretIn } from "./admin.ts";
import {
  type Answer,
  basic,
  bearer,
  call,
  demo,
  goodsQuery,
  reader,
  send,
  specChecker,
  token,
  tokenRequest,
} from "./sandbox-client.ts";
import { engines, storeLocation } from "./stores.ts";

const detail = "/open-api/goods/detail";
const qcDetail = "/open-api/goods/qc-detail";
const tokenPath = "/open-api/system/oauth2/token";
const conforms = specChecker();
describe.each(engines)("the security model on %s", (engine) => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let dir: string;
  let dbPath: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "sandbox-auth-"));
    dbPath = await storeLocation(engine, join(dir, "sandbox.db"));
    sandbox = await startSandbox({ dbPath });
  });
  afterAll(async () => {
    await sandbox?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Asserts a protocol error: HTTP status, the same code in the envelope, data null, the message. */
  function expectError(path: string, answer: Answer, status: number, msg: string | RegExp) {
    expect(conforms(path, answer)).toBeUndefined();
    expect(answer.status).toBe(status);
    expect(answer.body.code).toBe(status);
    expect(answer.body.data).toBeNull();
    if (typeof msg === "string") expect(answer.body.msg).toBe(msg);
    else expect(answer.body.msg).toMatch(msg);
  }

  const revoke = (credentials: { clientId: string; secret: string; tenantId: string }, accessToken: string) =>
    send(`${sandbox.baseUrl}${tokenPath}/revoke`, {
      method: "POST",
      headers: {
        authorization: basic(credentials.clientId, credentials.secret),
        "tenant-id": credentials.tenantId,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: new URLSearchParams({ token: accessToken }).toString(),
    });

  describe("business endpoints refuse", () => {
    it("a call without a token: 401 with WWW-Authenticate Bearer", async () => {
      const answer = await call(sandbox.baseUrl, detail, goodsQuery);
      expectError(detail, answer, 401, "Authorization header is missing: send Authorization: Bearer {access_token}");
      expect(answer.headers.get("www-authenticate")).toMatch(/^Bearer /);
    });

    it("a garbage token: 401 invalid_token", async () => {
      for (const value of [
        "Bearer garbage",
        "Bearer ",
        "Bearer 9f1c2e7a4b8d4c0e8a6f3b2d1c0e9f8a",
        `Bearer ${"x".repeat(600)}`,
      ]) {
        const answer = await call(sandbox.baseUrl, detail, goodsQuery, { authorization: value });
        expectError(detail, answer, 401, /access token is invalid|Bearer scheme/);
      }
    });

    it("client credentials (Basic) on a business endpoint: 401", async () => {
      const answer = await call(sandbox.baseUrl, detail, goodsQuery, {
        authorization: basic(demo.clientId, demo.secret),
      });
      expectError(detail, answer, 401, /must use the Bearer scheme/);
      expect(answer.headers.get("www-authenticate")).toContain('error="invalid_request"');
    });

    it("a revoked token: 401, and revoking again still answers success", async () => {
      const accessToken = await token(sandbox.baseUrl);
      expect((await revoke(demo, accessToken)).body).toEqual({ code: 0, data: true, msg: "" });
      const answer = await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken));
      expectError(detail, answer, 401, "access token has been revoked: fetch a new token and retry");
      expect((await revoke(demo, accessToken)).body).toEqual({ code: 0, data: true, msg: "" });
      expect((await revoke(demo, "never-issued-token")).body).toEqual({ code: 0, data: true, msg: "" });
    });

    it("another application cannot revoke a token it does not own", async () => {
      const accessToken = await token(sandbox.baseUrl);
      expect((await revoke(reader, accessToken)).body).toEqual({ code: 0, data: true, msg: "" });
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))).status).toBe(200);
    });

    it("a token of another tenant: 403", async () => {
      const accessToken = await token(sandbox.baseUrl);
      const answer = await call(sandbox.baseUrl, detail, goodsQuery, { ...bearer(accessToken), "tenant-id": "2" });
      expectError(
        detail,
        answer,
        403,
        "tenant-id 2 does not match the token's tenant: send the tenant-id issued with your credentials",
      );
    });

    it("a missing or malformed tenant-id: 400", async () => {
      const accessToken = await token(sandbox.baseUrl);
      const missing = await send(`${sandbox.baseUrl}${detail}`, {
        method: "POST",
        headers: { ...bearer(accessToken), "content-type": "application/json" },
        body: JSON.stringify(goodsQuery),
      });
      expectError(
        detail,
        missing,
        400,
        "tenant-id header is missing: every request must carry the tenant-id issued with your credentials",
      );
      const malformed = await call(sandbox.baseUrl, detail, goodsQuery, { ...bearer(accessToken), "tenant-id": "one" });
      expectError(detail, malformed, 400, /tenant-id header must be a positive integer/);
    });

    it("a token without the operation's scope: 403 naming the scope", async () => {
      const readerToken = await token(sandbox.baseUrl, reader);
      const answer = await call(sandbox.baseUrl, qcDetail, goodsQuery, bearer(readerToken));
      expectError(qcDetail, answer, 403, "insufficient scope: this operation requires goods:qc:read");
      // A narrowed token of an application that has the scope is refused too: the token carries what was asked.
      const narrow = await token(sandbox.baseUrl, demo, "goods:detail:read");
      expectError(
        qcDetail,
        await call(sandbox.baseUrl, qcDetail, goodsQuery, bearer(narrow)),
        403,
        /requires goods:qc:read/,
      );
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(narrow))).status).toBe(200);
    });

    it("a scope withdrawn by operations, at once, even for tokens issued before", async () => {
      const app = await createApp(dbPath, "goods:detail:read,goods:qc:read");
      const accessToken = await token(sandbox.baseUrl, app);
      expect((await call(sandbox.baseUrl, qcDetail, goodsQuery, bearer(accessToken))).status).toBe(200);
      await admin(dbPath, "grant-scopes", app.clientId, "goods:detail:read");
      expectError(
        qcDetail,
        await call(sandbox.baseUrl, qcDetail, goodsQuery, bearer(accessToken)),
        403,
        /goods:qc:read/,
      );
    });

    it("a caller whose IP is not whitelisted: 403 on business and token endpoints", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const accessToken = await token(sandbox.baseUrl, app);
      await admin(dbPath, "set-whitelist", app.clientId, "203.0.113.9,198.51.100.7");
      const answer = await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken));
      expectError(detail, answer, 403, "IP 127.0.0.1 is not in this application's whitelist");
      expectError(
        tokenPath,
        await tokenRequest(sandbox.baseUrl, app),
        403,
        "IP 127.0.0.1 is not in this application's whitelist",
      );
      await admin(dbPath, "set-whitelist", app.clientId, "203.0.113.9,127.0.0.1");
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))).status).toBe(200);
      await admin(dbPath, "set-whitelist", app.clientId, "none");
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))).status).toBe(200);
    });

    it("calls over the QPS limit: 429 with Retry-After, other applications unaffected", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const accessToken = await token(sandbox.baseUrl, app);
      await admin(dbPath, "set-qps", app.clientId, "3");
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))),
      );
      const limited = answers.filter((a) => a.status === 429);
      // 20 calls cannot all fall into the same second's first 3; at most 3 per second pass.
      expect(limited.length).toBeGreaterThan(0);
      for (const answer of limited) {
        expectError(
          detail,
          answer,
          429,
          "rate limit exceeded: at most 3 requests per second for this application; retry after 1 s",
        );
        expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      }
      for (const answer of answers.filter((a) => a.status !== 429)) expect(answer.status).toBe(200);
      const other = await token(sandbox.baseUrl);
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(other))).status).toBe(200);
      await admin(dbPath, "set-qps", app.clientId, "0");
      const unlimited = await Promise.all(
        Array.from({ length: 20 }, () => call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))),
      );
      expect(unlimited.every((a) => a.status === 200)).toBe(true);
    });
  });

  describe("the token endpoint", () => {
    it("issues exactly the requested scopes, bound to the tenant, with the configured lifetime", async () => {
      const answer = await tokenRequest(sandbox.baseUrl, demo, {
        grant_type: "client_credentials",
        scope: "goods:qc:read goods:detail:read",
      });
      expect(conforms(tokenPath, answer)).toBeUndefined();
      expect(answer.body.data).toMatchObject({ scope: "goods:qc:read goods:detail:read", expires_in: 1800 });
      const one = (answer.body.data as { access_token: string }).access_token;
      const two = await token(sandbox.baseUrl);
      expect(one).not.toBe(two);
      expect(one).toMatch(/^[0-9a-z]{9}[A-Za-z0-9_-]{43}$/);
    });

    it("refuses wrong, unknown and missing client credentials: 401 with WWW-Authenticate Basic", async () => {
      const wrong = await tokenRequest(sandbox.baseUrl, { ...demo, secret: "not-the-secret" });
      expectError(tokenPath, wrong, 401, "client authentication failed: check clientId and clientSecret");
      expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic /);
      const unknown = await tokenRequest(sandbox.baseUrl, { ...demo, clientId: "nobody" });
      expectError(tokenPath, unknown, 401, "client authentication failed: check clientId and clientSecret");
      const missing = await send(`${sandbox.baseUrl}${tokenPath}`, {
        method: "POST",
        headers: { "tenant-id": "1", "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expectError(tokenPath, missing, 401, /client authentication is missing/);
      const bearerInstead = await send(`${sandbox.baseUrl}${tokenPath}`, {
        method: "POST",
        headers: { authorization: "Bearer abc", "tenant-id": "1", "content-type": "application/x-www-form-urlencoded" },
        body: "grant_type=client_credentials",
      });
      expectError(tokenPath, bearerInstead, 401, /client authentication is missing/);
    });

    it("refuses other grants, scopes not granted, a foreign tenant and a missing tenant-id", async () => {
      expectError(
        tokenPath,
        await tokenRequest(sandbox.baseUrl, demo, { grant_type: "password" }),
        400,
        "the open platform only supports the client_credentials grant",
      );
      expectError(
        tokenPath,
        await tokenRequest(sandbox.baseUrl, reader, {
          grant_type: "client_credentials",
          scope: "promotion:redeem-code:redeem",
        }),
        400,
        "invalid scope: promotion:redeem-code:redeem is not granted to this application",
      );
      expectError(
        tokenPath,
        await tokenRequest(sandbox.baseUrl, { ...demo, tenantId: "2" }),
        403,
        "tenant-id 2 is not this application's tenant: send the tenant-id issued with your credentials",
      );
      const noTenant = await send(`${sandbox.baseUrl}${tokenPath}`, {
        method: "POST",
        headers: {
          authorization: basic(demo.clientId, demo.secret),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      expectError(tokenPath, noTenant, 400, /tenant-id header is missing/);
      const json = await send(`${sandbox.baseUrl}${tokenPath}`, {
        method: "POST",
        headers: {
          authorization: basic(demo.clientId, demo.secret),
          "tenant-id": "1",
          "content-type": "application/json",
        },
        body: JSON.stringify({ grant_type: "client_credentials" }),
      });
      expectError(tokenPath, json, 400, /send application\/x-www-form-urlencoded/);
    });
  });

  describe("operations staff", () => {
    it("reset a secret: the old secret and every token issued with it stop working at once", async () => {
      const app = await createApp(dbPath, "goods:detail:read");
      const before = await token(sandbox.baseUrl, app);
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(before))).status).toBe(200);
      const output = await admin(dbPath, "reset-secret", app.clientId);
      expect(output).toContain("revoked 1 live token(s)");
      const secret = secretIn(output);
      expect(secret).not.toBe(app.secret);
      expectError(detail, await call(sandbox.baseUrl, detail, goodsQuery, bearer(before)), 401, /revoked/);
      expectError(tokenPath, await tokenRequest(sandbox.baseUrl, app), 401, /client authentication failed/);
      const after = await token(sandbox.baseUrl, { ...app, secret });
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(after))).status).toBe(200);
    });

    it("see applications without their secrets, and get clear errors for bad input", async () => {
      const app = await createApp(dbPath, "goods:search:read", "42");
      const list = JSON.parse(await admin(dbPath, "list-apps", "--json")) as { clientId: string; tenantId: string }[];
      expect(list.find((a) => a.clientId === app.clientId)).toMatchObject({ tenantId: "42" });
      expect(JSON.stringify(list)).not.toContain(app.secret);
      expect(
        await adminFails(dbPath, "create-app", app.clientId, "--tenant", "1", "--scopes", "goods:qc:read"),
      ).toMatch(/already exists/);
      expect(await adminFails(dbPath, "create-app", "x-app", "--tenant", "1", "--scopes", "goods:write")).toMatch(
        /unknown scope "goods:write"/,
      );
      expect(await adminFails(dbPath, "set-qps", "no-such-app", "5")).toMatch(/no application "no-such-app"/);
      expect(await adminFails(dbPath, "set-whitelist", app.clientId, "not-an-ip")).toMatch(/is not an IP address/);
      expect(await adminFails(dbPath, "frobnicate")).toMatch(/unknown command "frobnicate"/);
    });

    it("never see a secret in the store: only scrypt hashes", async () => {
      const store = await openStore(dbPath);
      const rows = await store.sql.all<{ client_id: string; secret_hash: string }>(
        "SELECT client_id, secret_hash FROM apps",
      );
      await store.close();
      expect(rows.length).toBeGreaterThanOrEqual(2);
      for (const row of rows) {
        expect(row.secret_hash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
        expect(row.secret_hash).not.toContain("secret");
      }
    });
  });

  describe("the logs", () => {
    it("never contain a secret or a token, and the server never violated the contract", async () => {
      const accessToken = await token(sandbox.baseUrl);
      await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const output = sandbox.output();
      expect(output).toContain('"msg":"request"');
      expect(output).not.toContain(accessToken);
      expect(output).not.toContain(demo.secret.replace("sandbox-demo-", "x-") /* sanity: a string never logged */);
      expect(output).not.toContain(Buffer.from(`${demo.clientId}:${demo.secret}`).toString("base64"));
      expect(output).not.toContain("RESPONSE_CONTRACT_VIOLATION");
    });
  });
});
