// The business operations' plain calls are served from node:http directly (mock/sandbox/direct-path.ts), the rest
// by Fastify. Every request here is sent twice, alike but for a Content-Type spelling only Fastify takes
// (`application/json;charset=utf-8`, no space): both answers must be the same bytes (status, headers but Date,
// body) and the same access line, and the direct path must have taken exactly one of the two. The server runs
// in this process (the counter of requests the direct path took is not visible from outside), on a real socket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../mock/sandbox/config.ts";
import { installDomain } from "../../mock/sandbox/domain/index.ts";
import { createLogger } from "../../mock/sandbox/log.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import { buildServer, type SandboxServer } from "../../mock/sandbox/server.ts";
import { loadSpec } from "../../mock/sandbox/spec.ts";
import { seedDemoApps } from "../../mock/sandbox/store.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { openSocket, parseResponse } from "./raw-http.ts";
import { bearer, goodsQuery, reader, token } from "./sandbox-client.ts";

const DIRECT = "application/json";
const FASTIFY = "application/json;charset=utf-8";

let store: StoreEngine;
let server: SandboxServer;
let baseUrl: string;
let port: number;
const logged: string[] = [];

beforeAll(async () => {
  const config = readConfig({ SANDBOX_DB: ":memory:", SANDBOX_VALIDATE_RESPONSES: "1", PORT: "0" });
  store = await openStore(":memory:", { report: () => undefined });
  await seedDemoApps(store.sql);
  const domain = await installDomain(store);
  store.startServing();
  const logger = createLogger("info", (chunk) => logged.push(...chunk.toString().split("\n").filter(Boolean)));
  server = buildServer({ config, store, spec: loadSpec(), domain, logger });
  await server.app.listen({ host: "127.0.0.1", port: 0 });
  const address = server.app.server.address();
  port = typeof address === "object" && address ? address.port : 0;
  baseUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.app.close();
  await store?.close();
});

interface Exchange {
  status: number;
  headers: Record<string, string>;
  text: string;
}

/** One raw HTTP/1.1 request on its own connection: exactly these bytes, no client adding or fixing headers. */
async function exchange(path: string, headers: Record<string, string>, body: string | Buffer): Promise<Exchange> {
  const connection = await openSocket(port);
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const head = Object.entries({ host: "x", connection: "close", "content-length": String(bytes.length), ...headers })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  connection.socket.write(Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${head}\r\n`), bytes]));
  await connection.closed;
  const answer = parseResponse(connection.received());
  const { date: _date, ...rest } = answer.headers;
  return { status: answer.status, headers: rest, text: answer.text };
}

/** The access line a request left, without what differs between any two requests (time, duration). */
async function lastAccessLine(): Promise<Record<string, unknown>> {
  // The logger batches lines and writes them every few milliseconds.
  await new Promise((resume) => setTimeout(resume, 30));
  const line = JSON.parse(logged.filter((l) => l.includes('"msg":"request"')).at(-1) ?? "{}");
  const { time: _time, ms: _ms, ...rest } = line;
  return rest;
}

/**
 * Sends the request down both paths; expects the same answer and access line, the direct path taking one.
 * `comparable` strips what may differ between two answers by design (a redemption's randomly drawn coupon).
 */
async function bothPaths(
  path: string,
  headers: Record<string, string>,
  body: string | Buffer | (() => string),
  comparable: (answer: Exchange) => unknown = (answer) => answer,
) {
  const bodyOf = () => (typeof body === "function" ? body() : body);
  const before = server.directPath?.taken ?? 0;
  const direct = await exchange(path, { ...headers, "content-type": DIRECT }, bodyOf());
  const directLine = await lastAccessLine();
  expect(server.directPath?.taken).toBe(before + 1);
  const fastify = await exchange(path, { ...headers, "content-type": FASTIFY }, bodyOf());
  const fastifyLine = await lastAccessLine();
  expect(server.directPath?.taken).toBe(before + 1);
  expect(comparable(direct)).toEqual(comparable(fastify));
  expect(directLine).toEqual(fastifyLine);
  return direct;
}

describe("the direct path and Fastify answer alike", () => {
  const detail = "/open-api/goods/detail";
  const redeem = "/open-api/promotion/redeem-code/redeem";
  let auth: Record<string, string>;
  beforeAll(async () => {
    auth = { ...bearer(await token(baseUrl)), "tenant-id": "1" };
  });

  it("a success, a business error, and a body with prototype keys", async () => {
    expect((await bothPaths(detail, auth, JSON.stringify(goodsQuery))).status).toBe(200);
    // Both access lines time their request (Fastify's own timing is off without its logger).
    const timed = logged.filter((line) => line.includes('"msg":"request"')).slice(-2);
    expect(timed.map((line) => JSON.parse(line).ms).every((ms) => ms > 0)).toBe(true);
    const unknown = await bothPaths(detail, auth, JSON.stringify({ goodsId: "no-such-goods", source: 1 }));
    expect(unknown.status).toBe(200);
    const poisoned = await bothPaths(detail, auth, '{"goodsId":"123456","source":1,"__proto__":{"polluted":"yes"}}');
    expect(poisoned.status).toBe(200);
    expect(poisoned.text).not.toContain("polluted");
  });

  it("bodies that are not JSON, not an object, or break the schema", async () => {
    const broken = await bothPaths(detail, auth, '{"goodsId":');
    expect(broken.status).toBe(400);
    expect(JSON.parse(broken.text).msg).toMatch(/^request body is not valid JSON: .*JSON/);
    for (const body of ["null", "[]", "{}", '{"goodsId":123,"source":1}', Buffer.from([0x7b, 0xff, 0xfe, 0x7d])]) {
      expect((await bothPaths(detail, auth, body)).status).toBe(400);
    }
  });

  it("refusals at headers time and at serve time, with their headers", async () => {
    const query = JSON.stringify(goodsQuery);
    const missing = await bothPaths(detail, { "tenant-id": "1" }, query);
    expect([missing.status, missing.headers["www-authenticate"]]).toEqual([401, 'Bearer realm="open-api"']);
    expect((await bothPaths(detail, { ...auth, "tenant-id": "2" }, query)).status).toBe(403);
    expect((await bothPaths(detail, { ...auth, "tenant-id": "x" }, query)).status).toBe(400);
    expect((await bothPaths(detail, { ...auth, authorization: "Bearer not-a-token" }, query)).status).toBe(401);
    const readerAuth = { ...bearer(await token(baseUrl, reader)), "tenant-id": "1" };
    const scope = await bothPaths(redeem, readerAuth, JSON.stringify({ code: "X", email: "member@example.com" }));
    expect(scope.status).toBe(403);
    expect(scope.headers["www-authenticate"]).toMatch(/insufficient_scope/);
  });

  it("redemptions, their business errors and a repeated requestId", async () => {
    let sequence = 0;
    const fresh = () =>
      JSON.stringify({ code: "E602F4DC626E4948", email: "member@example.com", requestId: `D-${++sequence}` });
    // The demo code draws one of two templates at random: compared without the coupon drawn.
    const redeemed = await bothPaths(redeem, auth, fresh, ({ status, headers, text }) => {
      const { "content-length": _length, ...rest } = headers;
      const { data } = JSON.parse(text);
      return { status, rest, data: { ...data, prize: undefined, coupons: data.coupons.length } };
    });
    expect(JSON.parse(redeemed.text)).toMatchObject({ code: 0, data: { success: true } });
    const repeated = JSON.stringify({ code: "E602F4DC626E4948", email: "member@example.com", requestId: "D-1" });
    expect(JSON.parse((await bothPaths(redeem, auth, repeated)).text).code).toBe(900);
    const noMember = JSON.stringify({ code: "E602F4DC626E4948", email: "nobody@example.com" });
    expect(JSON.parse((await bothPaths(redeem, auth, noMember)).text).code).toBe(1004001000);
  });
});

describe("a failure under the checks", () => {
  it("is answered in the envelope on both paths (500, or 429 when the store is busy), and the server keeps serving", async () => {
    const auth = { ...bearer(await token(baseUrl)), "tenant-id": "1" };
    const query = JSON.stringify(goodsQuery);
    const security = server.security as unknown as { confirm: (...args: unknown[]) => unknown };
    const confirm = security.confirm;
    try {
      // The served-time check fails: thrown at once, then as a rejected promise (a store read that failed).
      for (const failure of [
        () => {
          throw new Error("store failed");
        },
        () => Promise.reject(new Error("store failed")),
      ]) {
        security.confirm = failure;
        const failed = await bothPaths("/open-api/goods/detail", auth, query);
        expect([failed.status, JSON.parse(failed.text).msg]).toEqual([500, "internal error: please retry later"]);
      }
      security.confirm = () => Promise.reject(Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" }));
      const busy = await bothPaths("/open-api/goods/detail", auth, query);
      expect([busy.status, busy.headers["retry-after"]]).toEqual([429, "1"]);
    } finally {
      security.confirm = confirm;
    }
    expect((await bothPaths("/open-api/goods/detail", auth, query)).status).toBe(200);
  });
});

describe("what the direct path leaves to Fastify", () => {
  it("takes no request whose headers it would have to interpret", async () => {
    const auth = { ...bearer(await token(baseUrl)), "tenant-id": "1" };
    const before = server.directPath?.taken;
    const query = JSON.stringify(goodsQuery);
    const json = { ...auth, "content-type": DIRECT };
    // A query string, another media type, a token endpoint: answered by Fastify (200, 400, 401).
    expect((await exchange("/open-api/goods/detail?x=1", json, query)).status).toBe(200);
    expect((await exchange("/open-api/goods/detail", { ...auth, "content-type": "text/plain" }, query)).status).toBe(
      400,
    );
    expect((await exchange("/open-api/system/oauth2/token", json, "{}")).status).toBe(401);
    // An empty body and a body over the limit are Fastify's to refuse.
    expect((await exchange("/open-api/goods/detail", json, "")).status).toBe(400);
    expect((await exchange("/open-api/goods/detail", json, " ".repeat(70 * 1024))).status).toBe(400);
    expect(server.directPath?.taken).toBe(before);
  });

  it("a body cut short by its client leaves nothing behind and the server serving", async () => {
    const auth = { ...bearer(await token(baseUrl)), "tenant-id": "1" };
    const connection = await openSocket(port);
    connection.socket.write(
      `POST /open-api/goods/detail HTTP/1.1\r\nhost: x\r\nauthorization: ${auth.authorization}\r\ntenant-id: 1\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"goodsId":`,
    );
    await new Promise((resume) => setTimeout(resume, 50));
    connection.socket.destroy();
    const after = await exchange(
      "/open-api/goods/detail",
      { ...auth, "content-type": DIRECT },
      JSON.stringify(goodsQuery),
    );
    expect(after.status).toBe(200);
  });
});
