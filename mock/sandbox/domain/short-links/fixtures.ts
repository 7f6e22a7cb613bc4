// The short-link fixture table: what a short link (m.tb.cn/h.xxx, qr.1688.com/s/xxx, ...) points to, so that
// partners can test the short-link path of parseGoodsUrl offline. Its own table in the sandbox store, written by
// `npm run admin -- add-short-link <url> <source> <goodsId>`, read by parseGoodsUrl.
//
// Not per tenant, on purpose: where a short link leads is a fact of the public web, the same for every caller
// (the real platform learns it by following the redirect), and parseGoodsUrl has no tenant-owned state. Only
// operators write the table (the admin CLI), never an API caller, so no tenant can change another's answers.

import type { Sql } from "../../sql.ts";
import { hostOf } from "../link-parser/link-view.ts";
import { type Hit, isShortLink, type Platform, plausibleId } from "../link-parser/platforms.ts";

/** The demo entries (documented in mock/README.md), created once per store, never overwritten. */
export const demoShortLinks: { url: string; platform: Platform; goodsId: string }[] = [
  { url: "https://m.tb.cn/h.SandboxTB1", platform: "taobao", goodsId: "768650559131" },
  { url: "https://e.tb.cn/h.SandboxTM2", platform: "tmall", goodsId: "612345678901" },
  { url: "https://qr.1688.com/s/Sandbox3", platform: "1688", goodsId: "700000007919" },
  { url: "https://k.youshop10.com/Sandbox4", platform: "weidian", goodsId: "7203951581" },
];

export async function seedShortLinkDemo(sql: Sql, now = Date.now()): Promise<void> {
  for (const demo of demoShortLinks) {
    await sql.run(
      `INSERT INTO short_link_fixtures (link_key, url, platform, goods_id, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [shortLinkKey(demo.url), demo.url, demo.platform, demo.goodsId, now],
    );
  }
}

/**
 * The part of a short link that names its target: host and path, without `www.`, a trailing slash, the query or
 * the hash (apps append tracking such as `?tk=...&sm=...` that changes from one share to the next).
 */
export function shortLinkKey(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  return `${hostOf(parsed)}${parsed.pathname.replace(/\/+$/, "")}`;
}

const PLATFORM_OF_SOURCE: Record<string, Platform> = {
  "1": "taobao",
  "2": "1688",
  "3": "weidian",
  taobao: "taobao",
  tmall: "tmall",
  "1688": "1688",
  alibaba: "1688",
  weidian: "weidian",
  jd: "jd",
  pinduoduo: "pinduoduo",
  xianyu: "xianyu",
};

/** Adds or replaces the fixture of one short link. Throws an Error saying what to fix. */
export async function addShortLink(
  sql: Sql,
  url: string,
  source: string,
  goodsId: string,
  now = Date.now(),
): Promise<Hit> {
  let host: string;
  let path: string;
  try {
    const parsed = new URL(url);
    host = hostOf(parsed);
    path = parsed.pathname;
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("not http");
  } catch {
    throw new Error(`"${url}" is not an http(s) URL: give the short link as shared, e.g. https://m.tb.cn/h.AbCdEf`);
  }
  if (!isShortLink(host, path)) {
    throw new Error(
      `${url} is not a short link (m.tb.cn, e.tb.cn, tb.cn, s.click.taobao.com, uland.taobao.com, qr.1688.com, ` +
        "k.youshop10.com/<code>, u.jd.com, 3.cn): a long link is parsed from its shape and never looked up here",
    );
  }
  const platform = PLATFORM_OF_SOURCE[source.toLowerCase()];
  if (platform === undefined) {
    throw new Error(
      `source "${source}" is not a platform: use 1 (Taobao), 2 (1688), 3 (Weidian), or taobao, tmall, 1688, weidian, jd, pinduoduo, xianyu`,
    );
  }
  if (!plausibleId(goodsId)) {
    throw new Error(`goodsId "${goodsId}" is not a goods ID: 5 to 20 digits, no leading zero`);
  }
  await sql.run(
    `INSERT INTO short_link_fixtures (link_key, url, platform, goods_id, created_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(link_key) DO UPDATE SET url = excluded.url, platform = excluded.platform, goods_id = excluded.goods_id`,
    [shortLinkKey(url), url, platform, goodsId, now],
  );
  return { platform, id: goodsId };
}

export async function removeShortLink(sql: Sql, url: string): Promise<boolean> {
  const key = shortLinkKey(url);
  return key !== null && (await sql.run("DELETE FROM short_link_fixtures WHERE link_key = ?", [key])).changes > 0;
}

export async function lookupShortLink(sql: Sql, url: string): Promise<Hit | null> {
  const key = shortLinkKey(url);
  if (key === null) return null;
  const row = await sql.get<{ platform: Platform; goods_id: string }>(
    "SELECT platform, goods_id FROM short_link_fixtures WHERE link_key = ?",
    [key],
  );
  return row === undefined ? null : { platform: row.platform, id: row.goods_id };
}

export function listShortLinks(
  sql: Sql,
): Promise<{ url: string; platform: string; goods_id: string; created_at: number }[]> {
  return sql.all("SELECT url, platform, goods_id, created_at FROM short_link_fixtures ORDER BY created_at, link_key");
}
