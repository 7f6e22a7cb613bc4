// The sandbox serves the built docs site under /docs/ (whatever `npm run docs` put in docs/dist), and answers a
// clear 404 envelope for anything else: a missing page, a path escaping the folder, a site not built yet.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";

let dir: string;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let unbuilt: Awaited<ReturnType<typeof startSandbox>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "sandbox-docs-"));
  mkdirSync(join(dir, "site", "zh-CN"), { recursive: true });
  writeFileSync(join(dir, "site", "index.html"), "<!doctype html><title>Rizzit API</title>");
  writeFileSync(join(dir, "site", "zh-CN", "index.html"), "<!doctype html><title>中文</title>");
  writeFileSync(join(dir, "site", "app.js"), "console.log(1)");
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
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    const bare = await fetch(`${sandbox.baseUrl}/docs`, { redirect: "manual" });
    expect(bare.status).toBe(301);
    expect(bare.headers.get("location")).toBe("/docs/");
  });

  it("answers a 404 envelope for a missing page and for paths that leave the folder", async () => {
    for (const path of ["/docs/nope.html", "/docs/%2e%2e/secret.txt", "/docs/..%2fsecret.txt"]) {
      const answer = await fetch(`${sandbox.baseUrl}${path}`);
      expect(answer.status, path).toBe(404);
      const body = await answer.json();
      expect(body).toMatchObject({ code: 404, data: null });
      expect(JSON.stringify(body)).not.toContain("outside the site");
    }
  });

  it("says how to build the site when it is not built", async () => {
    const answer = await fetch(`${unbuilt.baseUrl}/docs/`);
    expect(answer.status).toBe(404);
    expect(await answer.json()).toEqual({
      code: 404,
      data: null,
      msg: "the docs site is not built yet: run `npm run docs`, then reload /docs/",
    });
    expect(unbuilt.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });
});
