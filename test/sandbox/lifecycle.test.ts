// Tokens over time and the store over restarts: expiry, and everything (apps, tokens, revocations, reset
// secrets) surviving a restart of the sandbox on the same file, even after a kill -9.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { admin, createApp, secretIn } from "./admin.ts";
import { bearer, call, goodsQuery, specChecker, token, tokenRequest } from "./sandbox-client.ts";

const detail = "/open-api/goods/detail";
const conforms = specChecker();
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("token expiry", () => {
  it("a token works within SANDBOX_TOKEN_TTL and answers 401 expired after it", async () => {
    const sandbox = await startSandbox({ env: { SANDBOX_TOKEN_TTL: "2" } });
    try {
      const issued = await tokenRequest(sandbox.baseUrl, {
        clientId: "sandbox-demo",
        secret: "sandbox-demo-secret",
        tenantId: "1",
      });
      expect(issued.body.data).toMatchObject({ expires_in: 2 });
      const accessToken = (issued.body.data as { access_token: string }).access_token;
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken))).status).toBe(200);
      // Poll rather than sleep a fixed time: the test asserts behaviour, not timing.
      let answer = await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken));
      for (let i = 0; i < 100 && answer.status === 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        answer = await call(sandbox.baseUrl, detail, goodsQuery, bearer(accessToken));
      }
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        code: 401,
        data: null,
        msg: "access token has expired: fetch a new token and retry",
      });
      expect(answer.headers.get("www-authenticate")).toContain('error="invalid_token"');
      expect(conforms(detail, answer)).toBeUndefined();
      expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
    } finally {
      await sandbox.stop();
    }
  });
});

describe("restart persistence", () => {
  it("keeps apps, tokens, revocations and reset secrets across a restart, and across kill -9", async () => {
    const dir = mkdtempSync(join(tmpdir(), "sandbox-restart-"));
    dirs.push(dir);
    const dbPath = join(dir, "store.db");
    let sandbox = await startSandbox({ dbPath });
    const app = await createApp(dbPath, "goods:detail:read");
    const reset = await createApp(dbPath, "goods:detail:read");
    const kept = await token(sandbox.baseUrl, app);
    const revoked = await token(sandbox.baseUrl, app);
    await sandbox.stop();
    const newSecret = secretIn(await admin(dbPath, "reset-secret", reset.clientId));

    sandbox = await startSandbox({ dbPath });
    try {
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(kept))).status).toBe(200);
      expect((await tokenRequest(sandbox.baseUrl, reset)).status).toBe(401);
      expect((await tokenRequest(sandbox.baseUrl, { ...reset, secret: newSecret })).status).toBe(200);
      const form = new URLSearchParams({ token: revoked }).toString();
      await fetch(`${sandbox.baseUrl}/open-api/system/oauth2/token/revoke`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from(`${app.clientId}:${app.secret}`).toString("base64")}`,
          "tenant-id": "1",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: form,
      });
      // Killed without a chance to close the store: the WAL still holds every committed change.
      await sandbox.stop("SIGKILL");
      sandbox = await startSandbox({ dbPath });
      expect((await call(sandbox.baseUrl, detail, goodsQuery, bearer(kept))).status).toBe(200);
      const afterKill = await call(sandbox.baseUrl, detail, goodsQuery, bearer(revoked));
      expect(afterKill.status).toBe(401);
      expect(afterKill.body.msg).toMatch(/revoked/);
      expect(sandbox.output()).toContain(`Store:     ${dbPath}`);
      expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
    } finally {
      await sandbox.stop();
    }
  });
});
