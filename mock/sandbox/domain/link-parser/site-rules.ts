// Per-site rules, only where a site's shape is unusual: what a digit means on its links, and cssbuy's
// `item-<id>.html`, which names no platform (it is Taobao). Everything else on these sites, and every other
// site, is read by the shared shapes in agent-shapes.ts. Sources: cn-links (github.com/cachho/cn-links, MIT),
// src/data/*.ts and src/item/decode/*.ts, and the guide (7.6) for the platform's own share link.
import { readAgentShape } from "./agent-shapes.ts";
import { bareSegment, type LinkView } from "./link-view.ts";
import { type Hit, isDomain, plausibleId } from "./platforms.ts";
import {
  type CodeTable,
  DEFAULT_CODES,
  GUIDE_CODES,
  HOOBUY_CODES,
  KAMEYMALL_CODES,
  SIFUBUY_CODES,
  USFANS_CODES,
} from "./spellings.ts";

interface SiteRule {
  domains: string[];
  /** What a digit means on this site's links. */
  codes: CodeTable;
  /** A shape the shared rules cannot read; `undefined` hands the link to them. */
  special?: (view: LinkView) => Hit | undefined;
}

/** cssbuy: item-<id>.html is Taobao (item-1688-<id> and item-micro-<id> are read by the shared rules). */
function cssbuyTaobaoItem(view: LinkView): Hit | undefined {
  const last = view.segments.at(-1);
  const id = last === undefined ? undefined : /^item-([0-9]+)$/.exec(bareSegment(last))?.[1];
  return plausibleId(id) ? { platform: "taobao", id } : undefined;
}

const SITE_RULES: SiteRule[] = [
  { domains: ["cssbuy.com"], codes: {}, special: cssbuyTaobaoItem },
  { domains: ["hoobuy.com", "gtbuy.com", "hipobuy.com", "oopbuy.com"], codes: HOOBUY_CODES },
  // The platform's own share link (targetGoodsDetailUrl) writes the guide's source codes.
  { domains: ["ponybuy.com", "panglobalbuy.com", "rizzitgo.com", "rizzitbuy.com"], codes: GUIDE_CODES },
  { domains: ["usfans.com"], codes: USFANS_CODES },
  { domains: ["sifubuy.com"], codes: SIFUBUY_CODES },
  { domains: ["kameymall.com"], codes: KAMEYMALL_CODES },
];

/** Reads an agent link: the site's own rule where it has one, the shared shapes with its digit table. */
export function readAgentLink(view: LinkView): Hit | null {
  const rule = SITE_RULES.find((r) => r.domains.some((d) => isDomain(view.host, d)));
  if (rule === undefined) return readAgentShape(view, DEFAULT_CODES, false);
  return rule.special?.(view) ?? readAgentShape(view, rule.codes, true);
}
