// Property-based fuzzing of the running sandbox: thousands of malformed requests (wrong methods and paths, bad
// credentials and tenants, wrong content types, wrong types, truncated and oversize bodies). Whatever arrives,
// the answer is a 4xx (or a 200 when the request happens to be valid), never a 5xx, and always an envelope that
// the spec accepts for that operation and status (outside any operation: `{code: status, data: null, msg}`).
import { connect } from "node:net";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledSpec, startSandbox } from "../helpers.ts";
import { basic, demo, specChecker, token } from "./sandbox-client.ts";
import { engines, storeLocation } from "./stores.ts";

const conforms = specChecker();
const operationPaths = Object.keys(loadBundledSpec().paths) as string[];
describe.each(engines)("fuzzing on %s", (engine) => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let validToken: string;

  beforeAll(async () => {
    // A small body limit so that "huge" bodies are cheap to send.
    sandbox = await startSandbox({
      dbPath: await storeLocation(engine),
      env: { SANDBOX_BODY_LIMIT: "4096", SANDBOX_LOG_LEVEL: "warn" },
    });
    validToken = await token(sandbox.baseUrl);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  interface FuzzRequest {
    method: string;
    path: string;
    headers: Record<string, string>;
    body: string | undefined;
  }

  const headerText = fc.string({ unit: fc.constantFrom(..."abcXYZ019 _-:;=./+%*\"'"), maxLength: 40 });

  const arbPath = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...operationPaths) },
    { weight: 1, arbitrary: fc.constantFrom(...operationPaths).map((p) => `${p}?x=1&x=2`) },
    { weight: 1, arbitrary: fc.constantFrom(...operationPaths).map((p) => `${p}/`) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "/",
        "/open-api",
        "/open-api/goods",
        "/admin-api/x",
        "/app-api/y",
        "/%zz",
        "/docs/../../etc/passwd",
        "/open-api/goods/detail%00",
      ),
    },
    { weight: 1, arbitrary: fc.webPath().map((p) => (p.startsWith("/") ? p : `/${p}`)) },
  );

  const arbAuth = fc.oneof(
    fc.constant<string | undefined>(undefined),
    fc.constant("valid-bearer"),
    fc.constant("valid-bearer"),
    fc.constant("valid-basic"),
    headerText.map((t) => `Bearer ${t}`),
    headerText.map((t) => `Basic ${Buffer.from(t).toString("base64")}`),
    headerText,
  );

  const arbTenant = fc.oneof(
    fc.constant<string | undefined>(undefined),
    fc.constant("1"),
    fc.constant("1"),
    fc.constantFrom("2", "0", "-1", "01", "99999999999999999999", "1,1", ""),
    headerText,
  );

  const arbContentType = fc.oneof(
    fc.constant<string | undefined>(undefined),
    fc.constantFrom(
      "application/json",
      "application/json; charset=utf-8",
      "application/x-www-form-urlencoded",
      "text/plain",
      "application/xml",
      "multipart/form-data; boundary=x",
      "application/json-patch+json",
      "*/*",
    ),
    headerText,
  );

  /** Request-body shapes that each break the schema or the parser in a different way. */
  const arbBody = fc.oneof(
    { weight: 3, arbitrary: fc.json({ maxDepth: 3 }) },
    {
      weight: 3,
      arbitrary: fc
        .record(
          {
            goodsId: fc.oneof(fc.string({ maxLength: 80 }), fc.integer(), fc.constant("0"), fc.constant(null)),
            source: fc.oneof(fc.integer({ min: -2, max: 5 }), fc.string({ maxLength: 3 }), fc.double()),
            pageNo: fc.oneof(fc.integer({ min: -5, max: 200_000 }), fc.string({ maxLength: 5 })),
            pageSize: fc.oneof(fc.integer({ min: -5, max: 500 }), fc.boolean()),
            imagesUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 30 }), fc.constant("https://x.test/a.jpg")),
            page: fc.oneof(fc.integer({ min: -1, max: 2000 }), fc.constant(null)),
            searchUrl: fc.oneof(fc.webUrl(), fc.string({ maxLength: 60 })),
            code: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
            email: fc.oneof(fc.emailAddress(), fc.string({ maxLength: 20 }), fc.constant("")),
            requestId: fc.oneof(fc.string({ maxLength: 70 }), fc.integer()),
            createTime: fc.oneof(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 }), fc.string()),
            __proto__: fc.constant({ polluted: true }),
          },
          { requiredKeys: [] },
        )
        .map((value) => JSON.stringify(value)),
    },
    // Truncated JSON: a valid document cut anywhere.
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.json({ maxDepth: 2 }), fc.nat())
        .map(([text, cut]) => text.slice(0, text.length > 1 ? cut % text.length : 0)),
    },
    {
      weight: 2,
      arbitrary: fc
        .dictionary(fc.constantFrom("grant_type", "scope", "token", "x"), fc.string({ maxLength: 30 }), { maxKeys: 3 })
        .map((form) => new URLSearchParams(form).toString()),
    },
    // Oversize bodies: past the 4 KiB limit the sandbox was started with.
    {
      weight: 1,
      arbitrary: fc
        .integer({ min: 4000, max: 20_000 })
        .map((n) => JSON.stringify({ goodsId: "x".repeat(n), source: 1 })),
    },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
  );

  /** Valid calls mixed in, so that success and business-error answers are checked against the spec too. */
  const validCalls: [string, string][] = [
    ["/open-api/goods/detail", '{"goodsId":"123456","source":1}'],
    ["/open-api/goods/detail", '{"goodsId":"404404","source":2}'],
    ["/open-api/goods/qc-detail", '{"goodsId":"123456","source":1}'],
    ["/open-api/goods/qc-images", '{"goodsId":"123456","source":1}'],
    ["/open-api/goods/qc-page", '{"pageNo":1,"pageSize":10}'],
    ["/open-api/goods/search-by-images", '{"imagesUrl":"https://example.com/img/q.jpg","page":1,"source":1}'],
    [
      "/open-api/goods/search-url-parse",
      '{"searchUrl":"https://detail.tmall.com/item.htm?id=768650559131","rno":"A1"}',
    ],
    ["/open-api/goods/search-url-parse", '{"searchUrl":"not a link"}'],
    ["/open-api/promotion/redeem-code/redeem", '{"code":"NOPE","email":"nobody@example.com"}'],
  ];
  const arbValid: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...validCalls).map(([path, body]) => ({
    method: "POST",
    path,
    headers: { authorization: "valid-bearer", "tenant-id": "1", "content-type": "application/json" },
    body,
  }));

  const arbMalformed: fc.Arbitrary<FuzzRequest> = fc
    .record({
      method: fc.oneof(
        { weight: 5, arbitrary: fc.constant("POST") },
        { weight: 1, arbitrary: fc.constantFrom("GET", "PUT", "DELETE", "PATCH", "OPTIONS") },
      ),
      path: arbPath,
      auth: arbAuth,
      tenant: arbTenant,
      contentType: arbContentType,
      body: arbBody,
    })
    .map(({ method, path, auth, tenant, contentType, body }) => {
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (tenant !== undefined) headers["tenant-id"] = tenant;
      if (contentType !== undefined) headers["content-type"] = contentType;
      return { method, path, headers, body: method === "GET" ? undefined : body };
    });

  const arbRequest = fc.oneof({ weight: 1, arbitrary: arbValid }, { weight: 9, arbitrary: arbMalformed });

  async function send(request: FuzzRequest): Promise<{ status: number; text: string }> {
    const headers = { ...request.headers };
    if (headers.authorization === "valid-bearer") headers.authorization = `Bearer ${validToken}`;
    if (headers.authorization === "valid-basic") headers.authorization = basic(demo.clientId, demo.secret);
    const response = await fetch(`${sandbox.baseUrl}${request.path}`, {
      method: request.method,
      headers,
      body: request.body,
    });
    return { status: response.status, text: await response.text() };
  }

  /** Undefined when the answer is a valid envelope for what was asked, else what is wrong. */
  function problem(request: FuzzRequest, answer: { status: number; text: string }): string | undefined {
    if (answer.status >= 500) return `HTTP ${answer.status}`;
    let body: { code: unknown; data: unknown; msg: unknown };
    try {
      body = JSON.parse(answer.text);
    } catch {
      return `HTTP ${answer.status} with a non-JSON body: ${answer.text.slice(0, 120)}`;
    }
    const path = request.path.split("?")[0] as string;
    if (request.method === "POST" && operationPaths.includes(path)) {
      return conforms(path, { status: answer.status, body: body as never, headers: new Headers(), text: answer.text });
    }
    const keys = Object.keys(body ?? {})
      .sort()
      .join(",");
    if (keys !== "code,data,msg") return `not an envelope: ${answer.text.slice(0, 120)}`;
    if (body.code !== answer.status || body.data !== null) return `code ${String(body.code)} for HTTP ${answer.status}`;
    if (typeof body.msg !== "string" || body.msg.length === 0) return "empty msg";
    return undefined;
  }

  describe("fuzzing the sandbox", () => {
    it("answers 5,000+ malformed requests without a single 5xx, each with a valid envelope", async () => {
      let sent = 0;
      const statuses = new Map<number, number>();
      await fc.assert(
        fc.asyncProperty(fc.array(arbRequest, { minLength: 20, maxLength: 20 }), async (batch) => {
          const answers = await Promise.all(batch.map(send));
          sent += batch.length;
          batch.forEach((request, i) => {
            const answer = answers[i] as { status: number; text: string };
            statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
            const wrong = problem(request, answer);
            if (wrong)
              throw new Error(`${request.method} ${request.path} ${JSON.stringify(request.headers)} -> ${wrong}`);
          });
        }),
        { numRuns: 260, seed: 20261122, endOnFailure: true },
      );
      expect(sent).toBeGreaterThanOrEqual(5000);
      expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
      // The generator reaches the interesting answers, not only 404s.
      for (const status of [200, 400, 401, 403, 404, 405]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
      expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
      expect(sandbox.output()).not.toContain("unexpected error");
    });

    it("answers malformed HTTP, truncated and oversize bodies on a raw socket with a 400 envelope", async () => {
      const raw = (payload: string, halfClose: boolean) =>
        new Promise<string>((resolve, reject) => {
          const socket = connect(sandbox.port, "127.0.0.1");
          let received = "";
          socket.on("data", (chunk) => {
            received += chunk;
          });
          socket.on("error", reject);
          socket.on("close", () => resolve(received));
          socket.write(payload, () => {
            if (halfClose) socket.end();
          });
          setTimeout(() => socket.destroy(), 3000);
        });
      const garbage = await raw("THIS IS NOT HTTP\r\n\r\n", false);
      expect(garbage).toMatch(/^HTTP\/1\.1 400/);
      expect(JSON.parse(garbage.split("\r\n\r\n")[1] as string)).toMatchObject({ code: 400, data: null });

      const badHeader = await raw("POST /open-api/goods/detail HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", false);
      expect(badHeader).toMatch(/^HTTP\/1\.1 400/);

      // The body promised 100 bytes and delivered 12: the server may answer 400 or close; never a 5xx.
      const truncated = await raw(
        `POST /open-api/goods/detail HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${validToken}\r\ntenant-id: 1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"goodsId":"`,
        true,
      );
      expect(truncated === "" || /^HTTP\/1\.1 4\d\d/.test(truncated)).toBe(true);

      const big = "x".repeat(10_000);
      const oversize = await fetch(`${sandbox.baseUrl}/open-api/goods/detail`, {
        method: "POST",
        headers: { authorization: `Bearer ${validToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: JSON.stringify({ goodsId: big, source: 1 }),
      });
      expect(oversize.status).toBe(400);
      expect(await oversize.json()).toEqual({
        code: 400,
        data: null,
        msg: "request body is larger than 4096 bytes: send a smaller body",
      });
    });
  });
});
