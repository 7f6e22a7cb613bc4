// Short links: the fixture table (admin CLI -> store -> parseGoodsUrl over HTTP), and the optional network
// resolver against a local redirect server on 127.0.0.1 (no other host is ever contacted).
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  addShortLink,
  demoShortLinks,
  lookupShortLink,
  removeShortLink,
  seedShortLinkDemo,
} from "../../mock/sandbox/domain/short-links/fixtures.ts";
import { readShortLinkConfig } from "../../mock/sandbox/domain/short-links/index.ts";
import { DEFAULT_RESOLVER_OPTIONS, ShortLinkResolver } from "../../mock/sandbox/domain/short-links/resolver.ts";
import { analyseGoodsLink } from "../../mock/sandbox/domain/url-parser.ts";
import type { Sql } from "../../mock/sandbox/sql.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { startSandbox } from "../helpers.ts";
import { admin, adminFails } from "../sandbox/admin.ts";
import { type Answer, bearer, call, token } from "../sandbox/sandbox-client.ts";
import { engines, openTestStore } from "../sandbox/stores.ts";

const PARSE = "/open-api/goods/search-url-parse";

describe("the parser tells a short link apart from a refusal", () => {
  it.each([
    ["https://m.tb.cn/h.5AbCdEf?tk=xyz", "https://m.tb.cn/h.5AbCdEf?tk=xyz"],
    ["【淘宝】https://m.tb.cn/h.gZ1hY2k 「女装」点击链接直接打开", "https://m.tb.cn/h.gZ1hY2k"],
    ["https://www.pandabuy.com/product?url=https%3A%2F%2Fqr.1688.com%2Fs%2Fabc", "https://qr.1688.com/s/abc"],
  ])("%s", (text, shortUrl) => {
    const analysis = analyseGoodsLink(text);
    expect(analysis.outcome).toBe("short-link");
    expect(analysis.outcome === "short-link" && analysis.shortUrl).toBe(shortUrl);
  });

  it("a long link is never a short link", () => {
    expect(analyseGoodsLink("https://k.youshop10.com/item.html?itemID=7212345678").outcome).toBe("parsed");
    expect(analyseGoodsLink("https://example.com/h.abc").outcome).toBe("refused");
  });
});

describe.each(engines)("fixture table on %s", (engine) => {
  let store: StoreEngine;
  let db: Sql;
  beforeEach(async () => {
    store = await openTestStore(engine);
    db = store.sql;
    await seedShortLinkDemo(db);
  });
  afterEach(() => store.close());

  it("holds the demo entries, found whatever tracking the app appended", async () => {
    for (const demo of demoShortLinks) {
      expect(await lookupShortLink(db, `${demo.url}?tk=abc&sm=1`)).toEqual({
        platform: demo.platform,
        id: demo.goodsId,
      });
      expect(await lookupShortLink(db, `${demo.url}/`)).toEqual({ platform: demo.platform, id: demo.goodsId });
    }
    expect(await lookupShortLink(db, "https://m.tb.cn/h.sandboxtb1"), "codes are case-sensitive").toBeNull();
  });

  it("adds, replaces and removes an entry", async () => {
    expect(await addShortLink(db, "https://m.tb.cn/h.Added", "3", "7212345678")).toEqual({
      platform: "weidian",
      id: "7212345678",
    });
    await addShortLink(db, "https://m.tb.cn/h.Added", "tmall", "612345678901");
    expect(await lookupShortLink(db, "https://m.tb.cn/h.Added")).toEqual({ platform: "tmall", id: "612345678901" });
    expect(await removeShortLink(db, "https://m.tb.cn/h.Added")).toBe(true);
    expect(await lookupShortLink(db, "https://m.tb.cn/h.Added")).toBeNull();
  });

  it("refuses what could never be answered, saying what to fix", async () => {
    await expect(addShortLink(db, "https://item.taobao.com/item.htm?id=1", "1", "768650559131")).rejects.toThrow(
      /not a short link/,
    );
    await expect(addShortLink(db, "m.tb.cn/h.x", "1", "768650559131")).rejects.toThrow(/not an http\(s\) URL/);
    await expect(addShortLink(db, "https://m.tb.cn/h.x", "amazon", "768650559131")).rejects.toThrow(/not a platform/);
    await expect(addShortLink(db, "https://m.tb.cn/h.x", "1", "0123")).rejects.toThrow(/not a goods ID/);
  });

  it("reads its configuration strictly", () => {
    expect(readShortLinkConfig({})).toEqual({ resolve: false, timeoutMs: 3000, extraHosts: [] });
    expect(() => readShortLinkConfig({ SANDBOX_RESOLVE_SHORT_LINKS: "yes" })).toThrow(/must be 1/);
    expect(() => readShortLinkConfig({ SANDBOX_SHORT_LINK_TIMEOUT_MS: "5" })).toThrow(/100 to 30000/);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// A local redirect server standing in for a short-link service

interface Local {
  server: Server;
  origin: string;
  hits: string[];
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Local> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? "");
    handler?.(req, res);
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits };
}

let shortService: Local;
let elsewhere: Local;

beforeAll(async () => {
  // `localhost` is a host the resolver is not allowed to reach: a redirect there must end the walk unsent.
  elsewhere = await listen((_req, res) => res.end("should never be asked"));
  const elsewherePort = (elsewhere.server.address() as AddressInfo).port;
  shortService = await listen((req, res) => {
    const go = (location: string) => res.writeHead(302, { location }).end();
    switch (req.url) {
      case "/h.Two":
        return go("/h.TwoStep");
      case "/h.TwoStep":
        return go("https://item.taobao.com/item.htm?id=768650559131&sourceType=item");
      case "/h.Page":
        res.writeHead(200, { "content-type": "text/html" });
        return res.end(
          `<html><script>var a = 'https://img.alicdn.com/x.png'; var url = 'https://a.m.taobao.com/i612345678901.htm?price=1';</script></html>`,
        );
      case "/h.Away":
        return go(`http://localhost:${elsewherePort}/item.htm?id=768650559131x`);
      case "/h.Loop":
        return go("/h.Loop");
      case "/h.Gone":
        return res.writeHead(404).end();
      case "/h.Slow":
        return; // never answers
      default:
        return go("https://weidian.com/item.html?itemID=7212345678");
    }
  });
});
afterAll(async () => {
  for (const local of [shortService, elsewhere]) {
    local?.server.closeAllConnections();
    await new Promise((done) => local?.server.close(done));
  }
});

describe("resolver (SANDBOX_RESOLVE_SHORT_LINKS=1) against a local redirect server", () => {
  const resolver = () =>
    new ShortLinkResolver({ ...DEFAULT_RESOLVER_OPTIONS, timeoutMs: 1500, allowedHosts: ["127.0.0.1"] });

  it("follows redirects and stops at the first goods link, without fetching the platform", async () => {
    expect(await resolver().resolve(`${shortService.origin}/h.Two`)).toEqual({
      platform: "taobao",
      id: "768650559131",
    });
    expect(shortService.hits.filter((h) => h.startsWith("/h.Two"))).toEqual(["/h.Two", "/h.TwoStep"]);
  });

  it("finds the goods link inside a 200 page (m.tb.cn answers with a script)", async () => {
    expect(await resolver().resolve(`${shortService.origin}/h.Page`)).toEqual({
      platform: "taobao",
      id: "612345678901",
    });
  });

  it("never sends a request to a host off the allowlist", async () => {
    expect(await resolver().resolve(`${shortService.origin}/h.Away`)).toBeNull();
    expect(elsewhere.hits).toEqual([]);
    expect(await resolver().resolve(`${elsewhere.origin.replace("127.0.0.1", "localhost")}/h.x`)).toBeNull();
    expect(elsewhere.hits).toEqual([]);
  });

  it("gives up on loops, errors and silence, within its timeout", async () => {
    expect(await resolver().resolve(`${shortService.origin}/h.Loop`)).toBeNull();
    expect(shortService.hits.filter((h) => h === "/h.Loop").length).toBe(DEFAULT_RESOLVER_OPTIONS.maxHops + 1);
    expect(await resolver().resolve(`${shortService.origin}/h.Gone`)).toBeNull();
    const started = Date.now();
    expect(await resolver().resolve(`${shortService.origin}/h.Slow`)).toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000); // bounded by the 1.5 s timeout (generous: a loaded machine)
  });

  it("refuses a walk beyond its in-flight cap at once", async () => {
    const capped = new ShortLinkResolver({
      ...DEFAULT_RESOLVER_OPTIONS,
      timeoutMs: 1000,
      allowedHosts: ["127.0.0.1"],
      maxInFlight: 1,
    });
    const slow = capped.resolve(`${shortService.origin}/h.Slow`);
    expect(await capped.resolve(`${shortService.origin}/h.Two`)).toBeNull();
    expect(await slow).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Through the running sandbox, with the admin CLI on the same store file

describe("parseGoodsUrl answers short links from the fixture table", () => {
  let dir: string;
  let dbPath: string;
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let auth: Record<string, string>;
  const parse = async (searchUrl: string): Promise<Answer> => call(sandbox.baseUrl, PARSE, { searchUrl }, auth);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "short-links-"));
    dbPath = join(dir, "sandbox.db");
    sandbox = await startSandbox({ dbPath });
    auth = bearer(await token(sandbox.baseUrl));
  });
  afterAll(async () => {
    await sandbox?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("answers the demo entries and refuses an unknown short link", async () => {
    const demo = await parse("【淘宝】https://m.tb.cn/h.SandboxTB1?tk=Zz9 「宝贝」点击链接直接打开");
    expect(demo.body.data).toMatchObject({
      goodsId: "768650559131",
      goodsSource: 1,
      goodsDetailUrl: "https://item.taobao.com/item.htm?id=768650559131",
      searchUrl: "https://m.tb.cn/h.SandboxTB1?tk=Zz9",
    });
    expect((await parse("https://qr.1688.com/s/Sandbox3")).body.data).toMatchObject({ goodsSource: 2 });
    expect((await parse("https://m.tb.cn/h.NotThere")).body).toMatchObject({ code: 1008010000, data: null });
  });

  it("answers an entry added with the admin CLI at once, and refuses it again once removed", async () => {
    const link = "https://m.tb.cn/h.CliAdded";
    expect((await parse(link)).body.code).toBe(1008010000);
    expect(await admin(dbPath, "add-short-link", link, "weidian", "7212345678")).toContain("weidian goods 7212345678");
    expect(await admin(dbPath, "list-short-links")).toContain(link);
    expect((await parse(`${link}?sm=abc`)).body.data).toMatchObject({ goodsId: "7212345678", goodsSource: 3 });
    await admin(dbPath, "remove-short-link", link);
    expect((await parse(link)).body.code).toBe(1008010000);
  });

  it("the admin CLI refuses bad arguments with a message saying what to fix", async () => {
    expect(await adminFails(dbPath, "add-short-link", "https://m.tb.cn/h.X", "9", "7212345678")).toMatch(
      /source "9" is not a platform/,
    );
    expect(await adminFails(dbPath, "add-short-link", "https://m.tb.cn/h.X", "1")).toMatch(/expected <url> <source>/);
    expect(await adminFails(dbPath, "add-short-link", "--nmae", "x")).toMatch(/Unknown option/i);
  });
});

describe("parseGoodsUrl resolves unknown short links only when configured to", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let auth: Record<string, string>;

  beforeAll(async () => {
    sandbox = await startSandbox({
      env: {
        SANDBOX_RESOLVE_SHORT_LINKS: "1",
        SANDBOX_SHORT_LINK_HOSTS: "127.0.0.1",
        SANDBOX_SHORT_LINK_TIMEOUT_MS: "2000",
      },
    });
    auth = bearer(await token(sandbox.baseUrl));
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("follows the local redirect to the goods", async () => {
    const answer = await call(sandbox.baseUrl, PARSE, { searchUrl: `${shortService.origin}/h.Two`, rno: "R" }, auth);
    expect(answer.body.data).toMatchObject({ goodsId: "768650559131", goodsSource: 1, success: true });
    const away = await call(sandbox.baseUrl, PARSE, { searchUrl: `${shortService.origin}/h.Away` }, auth);
    expect(away.body.code).toBe(1008010000);
    expect(elsewhere.hits).toEqual([]);
  });
});
