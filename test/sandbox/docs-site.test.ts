// The sandbox serves the built docs site under /docs/ (whatever `npm run docs` put in docs/dist) with
// @fastify/static and @fastify/compress: trailing-slash redirects, content types, ETag/Last-Modified and 304s,
// br/gzip; the language pages come from memory with the code samples pointed at the sandbox itself; anything else
// gets a clear 404 envelope (a missing page, a path escaping the folder, a site not built yet).
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_BASE_URL } from "../../docs/code-samples.ts";
import { startSandbox } from "../helpers.ts";

let dir: string;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let unbuilt: Awaited<ReturnType<typeof startSandbox>>;

// A language page as the build writes it: big enough (1.6 MB) for @fastify/compress to stream it, with a sample's default base URL (in the
// JSON-escaped form of the page's inlined state) and a guide mention of the QA gateway that must stay.
const sample = `curl -sS -X POST \\"\${OPENAPI_BASE_URL:-${DEFAULT_BASE_URL}}/open-api/goods/detail\\"`;
const guideMention = `<td><code>${DEFAULT_BASE_URL}</code></td>`;
const page = (word: string) =>
  `<!doctype html><title>${word}</title><script>const s = "${sample}";</script>${guideMention}${"<p>text</p>".repeat(150_000)}`;
const zhFile = () => join(dir, "site", "zh-CN", "index.html");

/** A raw GET (fetch would decompress and hide the encoding). */
function rawGet(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-docs-"));
  mkdirSync(join(dir, "site", "zh-CN"), { recursive: true });
  mkdirSync(join(dir, "site", "downloads"), { recursive: true });
  writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>Rizzit API</title>");
  writeFileSync(zhFile(), page("中文"));
  writeFileSync(join(dir, "site", "app.js"), "console.log(1)");
  writeFileSync(join(dir, "site", "downloads", "openapi.en.json"), JSON.stringify({ big: "x".repeat(5000) }));
  writeFileSync(join(dir, "secret.txt"), "outside the site");
  [sandbox, unbuilt] = await Promise.all([
    startSandbox({ env: { SANDBOX_DOCS_DIR: join(dir, "site") } }),
    startSandbox({ env: { SANDBOX_DOCS_DIR: join(dir, "not-built") } }),
  ]);
});
afterAll(async () => {
  await Promise.all([sandbox?.stop(), unbuilt?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the docs site under /docs/", () => {
  it("serves index.html, sub-folders and assets with their content types", async () => {
    const index = await fetch(`${sandbox.baseUrl}/docs/`);
    expect(index.status).toBe(200);
    expect(index.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await index.text()).toContain("Rizzit API");
    const zh = await fetch(`${sandbox.baseUrl}/docs/zh-CN/`);
    expect(await zh.text()).toContain("中文");
    const js = await fetch(`${sandbox.baseUrl}/docs/app.js`);
    expect(js.headers.get("content-type")).toMatch(/^(text|application)\/javascript; charset=utf-8$/);
    const bare = await fetch(`${sandbox.baseUrl}/docs`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/docs/");
    // Every answer has its access-log line, the files @fastify/static sends included.
    await expect.poll(() => sandbox.output()).toContain('"path":"/docs/app.js","status":200');
  });

  it("redirects a folder without its slash (/docs/zh-CN -> /docs/zh-CN/), so the page's relative links work", async () => {
    const answer = await rawGet(`${sandbox.baseUrl}/docs/zh-CN`);
    expect(answer.status).toBeGreaterThanOrEqual(301);
    expect(answer.status).toBeLessThanOrEqual(308);
    expect(answer.headers.location).toBe("/docs/zh-CN/");
    const downloads = await rawGet(`${sandbox.baseUrl}/docs/downloads`);
    expect(downloads.headers.location).toBe("/docs/downloads/");
  });

  it("compresses with br or gzip as the client accepts, and sends identity to a client that accepts neither", async () => {
    for (const path of ["/docs/zh-CN/", "/docs/downloads/openapi.en.json"]) {
      const br = await rawGet(`${sandbox.baseUrl}${path}`, { "accept-encoding": "gzip, br" });
      expect(br.headers["content-encoding"], path).toBe("br");
      const gzip = await rawGet(`${sandbox.baseUrl}${path}`, { "accept-encoding": "gzip" });
      expect(gzip.headers["content-encoding"], path).toBe("gzip");
      expect(gunzipSync(gzip.body).equals(brotliDecompressSync(br.body)), path).toBe(true);
      const plain = await rawGet(`${sandbox.baseUrl}${path}`, { "accept-encoding": "identity" });
      expect(plain.headers["content-encoding"], path).toBeUndefined();
      expect(plain.body.equals(gunzipSync(gzip.body)), path).toBe(true);
      expect(br.body.length, path).toBeLessThan(plain.body.length / 2);
    }
  });

  it("sends an ETag and answers 304 to a matching If-None-Match, for files and for the language pages", async () => {
    for (const path of ["/docs/", "/docs/app.js", "/docs/zh-CN/", "/docs/downloads/openapi.en.json"]) {
      const first = await rawGet(`${sandbox.baseUrl}${path}`);
      expect(first.status, path).toBe(200);
      const etag = String(first.headers.etag ?? "");
      expect(etag, path).not.toBe("");
      expect(first.headers["cache-control"], path).toBe("no-cache");
      const again = await rawGet(`${sandbox.baseUrl}${path}`, { "if-none-match": etag });
      expect(again.status, path).toBe(304);
      expect(again.body.length, path).toBe(0);
      const stale = await rawGet(`${sandbox.baseUrl}${path}`, { "if-none-match": 'W/"stale"' });
      expect(stale.status, path).toBe(200);
    }
  });

  it("points the samples of a language page at the sandbox's own origin; the guide's gateway table stays", async () => {
    const text = await (await fetch(`${sandbox.baseUrl}/docs/zh-CN/`)).text();
    expect(text).toContain(`\${OPENAPI_BASE_URL:-${sandbox.baseUrl}}/open-api/goods/detail`);
    expect(text).not.toContain(`\${OPENAPI_BASE_URL:-${DEFAULT_BASE_URL}}`);
    expect(text).toContain(guideMention);
    // A forged Host header is never written into the page: the page is served as built.
    const forged = await rawGet(`${sandbox.baseUrl}/docs/zh-CN/`, { host: '"><script>x</script>' });
    expect(forged.body.toString()).toContain(`\${OPENAPI_BASE_URL:-${DEFAULT_BASE_URL}}`);
    expect(forged.body.toString()).not.toContain("<script>x</script>");
  });

  it("keeps a language page in memory, and reloads it when the file changes", async () => {
    const before = await (await fetch(`${sandbox.baseUrl}/docs/zh-CN/`)).text();
    // Same size, same mtime: a server reading the disk per request would show the new text; the cache does not.
    const stamp = new Date(Date.now() - 60_000);
    utimesSync(zhFile(), stamp, stamp);
    const first = await (await fetch(`${sandbox.baseUrl}/docs/zh-CN/`)).text();
    writeFileSync(zhFile(), page("英文"));
    utimesSync(zhFile(), stamp, stamp);
    expect(await (await fetch(`${sandbox.baseUrl}/docs/zh-CN/`)).text()).toBe(first);
    // A rebuild changes the mtime: the new page shows without a restart.
    const later = new Date();
    utimesSync(zhFile(), later, later);
    const after = await (await fetch(`${sandbox.baseUrl}/docs/zh-CN/`)).text();
    expect(after).toContain("英文");
    expect(before).toContain("中文");
  });

  it("tells the pages' scripts that the sandbox served them, with its demo applications", async () => {
    const answer = await fetch(`${sandbox.baseUrl}/docs/environment.json`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({
      servedBy: "sandbox",
      origin: sandbox.baseUrl,
      tenantId: "1",
      demoApps: [
        { clientId: "sandbox-demo", clientSecret: "sandbox-demo-secret" },
        {
          clientId: "sandbox-goods-reader",
          clientSecret: "sandbox-goods-reader-secret",
          scopes: ["goods:detail:read"],
        },
      ],
    });
  });

  it("answers a 404 envelope for a missing page and for paths that leave the folder", async () => {
    for (const path of ["/docs/nope.html", "/docs/%2e%2e/secret.txt", "/docs/..%2fsecret.txt", "/docs/nope/"]) {
      const answer = await fetch(`${sandbox.baseUrl}${path}`);
      expect(answer.status, path).toBe(404);
      const body = await answer.json();
      expect(body).toMatchObject({ code: 404, data: null });
      expect(JSON.stringify(body)).not.toContain("outside the site");
    }
  });

  it("says how to build the site when it is not built", async () => {
    for (const path of ["/docs/", "/docs/en/"]) {
      const answer = await fetch(`${unbuilt.baseUrl}${path}`);
      expect(answer.status, path).toBe(404);
      expect(await answer.json()).toEqual({
        code: 404,
        data: null,
        msg: "the docs site is not built yet: run `npm run docs`, then reload /docs/",
      });
    }
    expect(unbuilt.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });
});
