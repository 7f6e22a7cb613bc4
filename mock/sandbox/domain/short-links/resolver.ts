// Following a short link over the network, when the sandbox is told to (SANDBOX_RESOLVE_SHORT_LINKS=1; off by
// default: the sandbox makes no outbound request unless asked). Bounded in every way a caller could stretch it:
// one overall timeout, a few hops, only hosts on an allowlist (a redirect elsewhere ends the walk before any
// request is sent there), a cap on the page read, and a cap on walks in flight (more answer "cannot parse" at
// once rather than queue). Each hop's target is first parsed offline: the walk ends at the first goods link, so
// the platform's own item page is never fetched.

import { isDomain } from "../link-parser/platforms.ts";
import { analyseGoodsLink, type Hit } from "../url-parser.ts";

export interface ResolverOptions {
  /** The whole walk, every hop included. */
  timeoutMs: number;
  maxHops: number;
  /** Hosts (and their subdomains) that may be fetched. */
  allowedHosts: readonly string[];
  /** Bytes of an HTML answer read to look for the goods link in it (m.tb.cn answers 200 with a script). */
  maxBodyBytes: number;
  /** Walks in flight at once; the next one is refused. */
  maxInFlight: number;
}

/** Short-link services and the platforms they lead to. */
export const DEFAULT_ALLOWED_HOSTS = [
  "tb.cn",
  "s.click.taobao.com",
  "uland.taobao.com",
  "taobao.com",
  "tmall.com",
  "1688.com",
  "weidian.com",
  "youshop10.com",
  "jd.com",
  "3.cn",
] as const;

export const DEFAULT_RESOLVER_OPTIONS: ResolverOptions = {
  timeoutMs: 3000,
  maxHops: 5,
  allowedHosts: DEFAULT_ALLOWED_HOSTS,
  maxBodyBytes: 64 * 1024,
  maxInFlight: 8,
};

/** Links inside a page; a bounded number, each parsed under the parser's own work bound. */
const LINKS_IN_PAGE = /https?:\/\/[^\s"'<>\\]+/gi;
const MAX_LINKS_IN_PAGE = 20;

function parsedGoods(link: string): Hit | null {
  const analysis = analyseGoodsLink(link);
  return analysis.outcome === "parsed" ? analysis.hit : null;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < maxBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, maxBytes).toString("utf8");
}

export class ShortLinkResolver {
  private inFlight = 0;

  constructor(private readonly options: ResolverOptions = DEFAULT_RESOLVER_OPTIONS) {}

  private allowed(url: URL): boolean {
    if (url.protocol !== "http:" && url.protocol !== "https:") return false;
    const host = url.hostname.toLowerCase();
    return this.options.allowedHosts.some((domain) => isDomain(host, domain));
  }

  /** The goods a short link leads to, or null (not allowed, too slow, too many hops, nothing found). */
  async resolve(shortUrl: string): Promise<Hit | null> {
    if (this.inFlight >= this.options.maxInFlight) return null;
    this.inFlight++;
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      return await this.walk(shortUrl, signal);
    } catch {
      return null; // timeout, refused connection, bad redirect: the link cannot be parsed
    } finally {
      this.inFlight--;
    }
  }

  private async walk(shortUrl: string, signal: AbortSignal): Promise<Hit | null> {
    let url = new URL(shortUrl);
    for (let hop = 0; hop <= this.options.maxHops; hop++) {
      if (!this.allowed(url)) return null;
      const response = await fetch(url, { redirect: "manual", signal, headers: { accept: "text/html" } });
      const location = response.headers.get("location");
      if (response.status >= 300 && response.status < 400 && location !== null) {
        await response.body?.cancel();
        url = new URL(location, url);
        const hit = parsedGoods(url.href);
        if (hit !== null) return hit;
        continue;
      }
      if (response.status !== 200) {
        await response.body?.cancel();
        return null;
      }
      const page = await readCapped(response, this.options.maxBodyBytes);
      let found = 0;
      for (const match of page.matchAll(LINKS_IN_PAGE)) {
        if (++found > MAX_LINKS_IN_PAGE) break;
        const hit = parsedGoods(match[0]);
        if (hit !== null) return hit;
      }
      return null;
    }
    return null;
  }
}
