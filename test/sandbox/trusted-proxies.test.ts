// Behind a balancer: with SANDBOX_TRUSTED_PROXIES the sandbox takes the client's address from X-Forwarded-For as
// those proxies wrote it, for the IP whitelist, the per-IP redemption limit and the access log; without it, the
// header is a client's claim and changes nothing. Here the test itself plays the balancer on 127.0.0.1.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../mock/sandbox/config.ts";
import { startSandbox } from "../helpers.ts";
import { admin, createApp } from "./admin.ts";
import { type Answer, bearer, call, goodsQuery, specChecker, token, tokenRequest } from "./sandbox-client.ts";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const DETAIL = "/open-api/goods/detail";
const REDEEM = "/open-api/promotion/redeem-code/redeem";
const conforms = specChecker();
const forwardedFor = (chain: string) => ({ "x-forwarded-for": chain });
/** A goods read with this token, through a proxy that forwarded this X-Forwarded-For chain (none: no header). */
const detail = (sandbox: Sandbox, accessToken: string, chain?: string) =>
  call(sandbox.baseUrl, DETAIL, goodsQuery, { ...bearer(accessToken), ...(chain ? forwardedFor(chain) : {}) });

let dir: string;
let behind: Sandbox;
let direct: Sandbox;
let behindDb: string;
let directDb: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-proxies-"));
  behindDb = join(dir, "behind.db");
  directDb = join(dir, "direct.db");
  [behind, direct] = await Promise.all([
    startSandbox({ dbPath: behindDb, env: { SANDBOX_TRUSTED_PROXIES: "loopback" } }),
    startSandbox({ dbPath: directDb }),
  ]);
});
afterAll(async () => {
  await Promise.all([behind?.stop(), direct?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An application whitelisted for 203.0.113.9 only, and a token of it issued before the whitelist was set. */
async function whitelistedApp(dbPath: string, baseUrl: string) {
  const app = await createApp(dbPath, "goods:detail:read");
  const accessToken = await token(baseUrl, app);
  await admin(dbPath, "set-whitelist", app.clientId, "203.0.113.9");
  return { app, accessToken };
}

function expectRefused(answer: Answer, ip: string) {
  expect(conforms(DETAIL, answer)).toBeUndefined();
  expect(answer.status).toBe(403);
  expect(answer.body.msg).toBe(`IP ${ip} is not in this application's whitelist`);
}

describe("behind trusted proxies (SANDBOX_TRUSTED_PROXIES=loopback)", () => {
  it("checks the whitelist against the client the proxy forwarded, on the business and the token endpoints", async () => {
    const { app, accessToken } = await whitelistedApp(behindDb, behind.baseUrl);
    expect((await detail(behind, accessToken, "203.0.113.9")).status).toBe(200);
    expect((await tokenRequest(behind.baseUrl, app)).status).toBe(403); // the proxy itself is not whitelisted
    const viaProxy = await tokenRequest(behind.baseUrl, app, undefined, forwardedFor("203.0.113.9"));
    expect(viaProxy.status).toBe(200);
  });

  it("is not fooled by an address the client wrote itself: the hop the proxy appended counts", async () => {
    const { accessToken } = await whitelistedApp(behindDb, behind.baseUrl);
    // The client sent "X-Forwarded-For: 203.0.113.9"; the proxy appended the address it really came from.
    expectRefused(await detail(behind, accessToken, "203.0.113.9, 198.51.100.23"), "198.51.100.23");
    // No header: the request came from the proxy itself. A header naming no address names no one.
    expectRefused(await detail(behind, accessToken), "127.0.0.1");
    expectRefused(await detail(behind, accessToken, "203.0.113.9, <script>"), "unknown");
  });

  it("counts the per-IP daily redemption limit per forwarded client, not per proxy", async () => {
    const accessToken = await token(behind.baseUrl);
    const redeem = (client: string) =>
      call(
        behind.baseUrl,
        REDEEM,
        { code: "DEMO-IP-1", email: "member@example.com" },
        { ...bearer(accessToken), ...forwardedFor(client) },
      );
    expect((await redeem("203.0.113.1")).body.code).toBe(0);
    expect((await redeem("203.0.113.2")).body.code).toBe(0);
    const again = await redeem("203.0.113.1");
    expect(again.body.code).toBe(1013020006); // REDEEM_CODE_IP_LIMIT
  });

  it("logs the forwarded client's address on a refused call", async () => {
    const { accessToken } = await whitelistedApp(behindDb, behind.baseUrl);
    await detail(behind, accessToken, "198.51.100.77");
    await expect.poll(() => behind.output(), { timeout: 5_000 }).toContain('"ip":"198.51.100.77"');
  });
});

describe("with no trusted proxy (the default)", () => {
  it("ignores X-Forwarded-For: the whitelist sees the TCP peer whatever the header claims", async () => {
    const { accessToken } = await whitelistedApp(directDb, direct.baseUrl);
    expectRefused(await detail(direct, accessToken, "203.0.113.9"), "127.0.0.1");
  });

  it("refuses to start on a trusted proxy that is not an address, naming the variable", () => {
    expect(() => readConfig({ SANDBOX_TRUSTED_PROXIES: "10.0.0.1, gateway.internal" })).toThrow(
      /SANDBOX_TRUSTED_PROXIES must list IP addresses, CIDR ranges or loopback.*gateway\.internal/,
    );
    expect(readConfig({ SANDBOX_TRUSTED_PROXIES: " 10.0.0.0/8 , loopback ,," }).trustedProxies).toEqual([
      "10.0.0.0/8",
      "loopback",
    ]);
  });
});
