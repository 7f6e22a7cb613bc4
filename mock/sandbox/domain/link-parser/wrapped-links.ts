// Links wrapped inside other links: an agent page carrying the platform's link in any parameter (`url=`,
// `productLink=`, `productUrl=`, `key=`, ...), in the query or in a hash route, written plainly or
// percent-encoded up to MAX_DECODES times. Finding them is one pass over the link; parsing them is the caller's,
// under its work meter.
import type { LinkView } from "./link-view.ts";

/** Sugargoo and fishgoo encode twice; a third layer is allowed for links pasted through one more tool. */
export const MAX_DECODES = 3;

function decodeOnce(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

/**
 * The inner links of one link, outermost first: the first unencoded `=http(s)://...` (it runs to the end of the
 * link, keeping its own `&` parameters; an inner link nested in it is found when it is parsed in turn), then each
 * parameter value that is a link once decoded. Distinct values only.
 */
export function wrappedLinks(link: string, view: LinkView): string[] {
  const found = new Set<string>();
  const queryAt = link.search(/[?#]/);
  if (queryAt >= 0) {
    const plain = /=(https?:\/\/)/i.exec(link.slice(queryAt));
    if (plain !== null) found.add(link.slice(queryAt + plain.index + 1));
  }
  for (const [, value] of view.params) {
    let inner: string | null = value;
    for (let i = 0; i < MAX_DECODES && inner !== null && /^https?%(?:25)*3A/i.test(inner); i++)
      inner = decodeOnce(inner);
    if (inner !== null && /^https?:\/\//i.test(inner)) found.add(inner);
  }
  return [...found];
}
