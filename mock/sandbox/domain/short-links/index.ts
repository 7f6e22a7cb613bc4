// parseGoodsUrl's answer for any pasted text: the offline parser first; a short link it recognises is looked up
// in the fixture table, then (only with SANDBOX_RESOLVE_SHORT_LINKS=1) followed over the network. Everything else
// the parser refused stays refused.

import type { Sql } from "../../sql.ts";
import { analyseGoodsLink, goodsLinkOf, type ParsedGoodsLink } from "../url-parser.ts";
import { lookupShortLink, seedShortLinkDemo } from "./fixtures.ts";
import { DEFAULT_ALLOWED_HOSTS, DEFAULT_RESOLVER_OPTIONS, ShortLinkResolver } from "./resolver.ts";

export { registerShortLinkAdminCommands } from "./admin.ts";

export interface ShortLinkConfig {
  /** SANDBOX_RESOLVE_SHORT_LINKS=1: follow unknown short links over the network. */
  resolve: boolean;
  /** SANDBOX_SHORT_LINK_TIMEOUT_MS: the whole walk of one short link. */
  timeoutMs: number;
  /**
   * SANDBOX_SHORT_LINK_HOSTS: more hosts (comma-separated) treated as short-link services and allowed to be
   * fetched, e.g. a test's local redirect server on 127.0.0.1. Empty by default.
   */
  extraHosts: string[];
}

export function readShortLinkConfig(env: NodeJS.ProcessEnv = process.env): ShortLinkConfig {
  const resolve = env.SANDBOX_RESOLVE_SHORT_LINKS ?? "";
  if (!["", "0", "1"].includes(resolve)) {
    throw new Error(`SANDBOX_RESOLVE_SHORT_LINKS must be 1 (follow short links) or 0 (default), got "${resolve}"`);
  }
  const rawTimeout = env.SANDBOX_SHORT_LINK_TIMEOUT_MS ?? "";
  const timeoutMs = rawTimeout === "" ? DEFAULT_RESOLVER_OPTIONS.timeoutMs : Number(rawTimeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs < 100 || timeoutMs > 30_000) {
    throw new Error(`SANDBOX_SHORT_LINK_TIMEOUT_MS must be an integer from 100 to 30000, got "${rawTimeout}"`);
  }
  const extraHosts = (env.SANDBOX_SHORT_LINK_HOSTS ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== "");
  return { resolve: resolve === "1", timeoutMs, extraHosts };
}

export interface GoodsLinkParsing {
  /** The goods a pasted text names, or null ("Failed to parse product URL"). Async only when it resolves. */
  parse(text: string): ParsedGoodsLink | null | Promise<ParsedGoodsLink | null>;
}

/** Creates the fixture table's demo entries (idempotent) and returns the parse used by parseGoodsUrl. */
export async function installGoodsLinkParsing(sql: Sql, config = readShortLinkConfig()): Promise<GoodsLinkParsing> {
  await seedShortLinkDemo(sql);
  const shortLinkHosts = new Set(config.extraHosts);
  const resolver = config.resolve
    ? new ShortLinkResolver({
        ...DEFAULT_RESOLVER_OPTIONS,
        timeoutMs: config.timeoutMs,
        allowedHosts: [...DEFAULT_ALLOWED_HOSTS, ...config.extraHosts],
      })
    : null;
  return {
    parse(text) {
      const analysis = analyseGoodsLink(text, { shortLinkHosts });
      if (analysis.outcome === "parsed") return analysis.link;
      if (analysis.outcome === "refused") return null;
      const { searchUrl, shortUrl } = analysis;
      return lookupShortLink(sql, shortUrl).then((fixture) => {
        if (fixture !== null) return goodsLinkOf(fixture, searchUrl);
        if (resolver === null) return null;
        return resolver.resolve(shortUrl).then((hit) => (hit === null ? null : goodsLinkOf(hit, searchUrl)));
      });
    },
  };
}
