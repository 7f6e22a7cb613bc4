// One link seen the way the shape rules read it: its host, its path segments and its parameters, with a hash
// route (`#/goods/detail?platform=weidian&goodsId=...`, `#/home/productDetail?productLink=...`) read as more path
// and more parameters. Built once per candidate link, in time linear in its length.

export interface LinkView {
  /** Lower case, without a leading `www.`. */
  host: string;
  /** Non-empty path segments, path first, then the hash route's; as written (not decoded). */
  segments: string[];
  /** Query parameters, then the hash's; decoded once by URLSearchParams. */
  params: [string, string][];
}

/** The host as the rules compare it: lower case, without a leading `www.`. */
export function hostOf(url: URL): string {
  return url.hostname.toLowerCase().replace(/^www\./, "");
}

export function viewOf(url: URL): LinkView {
  const host = hostOf(url);
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const params = [...url.searchParams];
  const hash = url.hash.slice(1);
  if (hash !== "") {
    const queryAt = hash.indexOf("?");
    const route = queryAt < 0 ? hash : hash.slice(0, queryAt);
    // A route (#/x/y or #!/x/y) adds path; a plain anchor (#detail, #sp) adds nothing.
    if (route.startsWith("/") || route.startsWith("!/"))
      segments.push(...route.split("/").filter((s) => s !== "" && s !== "!"));
    if (queryAt >= 0) params.push(...new URLSearchParams(hash.slice(queryAt + 1)));
  }
  return { host, segments, params };
}

/** A path segment without its `.html`/`.htm` ending, lower case. */
export function bareSegment(segment: string): string {
  return segment.toLowerCase().replace(/\.html?$/, "");
}
