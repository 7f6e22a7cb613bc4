// How shopping agents name a platform inside their own links: words (taobao, ALI_1688, micro), short codes
// (TB, AL, WD) and digits (1, 2, ...). Words and short codes mean the same on every site; digits do not (hoobuy's
// 0 is 1688, usfans' 1 is 1688, sifubuy's 4 is Weidian), so a digit is read through the site's own table when
// the site is known, and through DEFAULT_CODES otherwise.
//
// Sources: the marketplace-string tables of cn-links (github.com/cachho/cn-links, src/data/*.ts, MIT), which
// record what each agent's links really carry, and the guide's own source codes (7.6).
import type { Platform } from "./platforms.ts";

/** Digit -> platform, as one site (or family of sites) writes it. */
export type CodeTable = Readonly<Record<string, Platform>>;

/**
 * Digits on a host the parser has no table for: 1 and 0 Taobao, 2 and 3 Weidian (the spellings the issue lists:
 * 1 = Taobao and 2 = Weidian as the hoobuy family writes them, 3 = Weidian as the guide and ponybuy do, 0 = Taobao
 * as Taobao's own `user_type` does). 1688 has no digit here: every family writes it differently.
 */
export const DEFAULT_CODES: CodeTable = { "0": "taobao", "1": "taobao", "2": "weidian", "3": "weidian" };

/** hoobuy, gtbuy, hipobuy, oopbuy (cn-links src/data/hoobuy.ts, gtbuy.ts, hipobuy.ts, oopbuy.ts). */
export const HOOBUY_CODES: CodeTable = { "0": "1688", "1": "taobao", "2": "weidian" };
/** ponybuy, panglobalbuy, and the platform's own share link (`source=`): the guide's numbering. */
export const GUIDE_CODES: CodeTable = { "1": "taobao", "2": "1688", "3": "weidian" };
/** usfans (cn-links src/data/usfans.ts). */
export const USFANS_CODES: CodeTable = { "1": "1688", "2": "taobao", "3": "weidian" };
/** sifubuy (cn-links src/data/sifubuy.ts). */
export const SIFUBUY_CODES: CodeTable = { "1": "1688", "2": "taobao", "4": "weidian" };
/** kameymall (cn-links src/data/kameymall.ts). */
export const KAMEYMALL_CODES: CodeTable = { "1": "taobao", "4": "1688", "7": "weidian" };

/** Spellings that name a platform wherever they stand (a platform parameter or a path segment). */
const WORDS: Readonly<Record<string, Platform>> = {
  taobao: "taobao",
  tmall: "tmall",
  "1688": "1688",
  ali_1688: "1688",
  ali1688: "1688",
  "ali-1688": "1688",
  alibaba: "1688",
  weidian: "weidian",
  micro: "weidian",
};

/** Short codes: only in a parameter whose name says it holds a platform (`source=TB`), never in a path. */
const SHORT_CODES: Readonly<Record<string, Platform>> = {
  tb: "taobao",
  tm: "tmall",
  al: "1688",
  ali: "1688",
  wd: "weidian",
};

/** A platform word in a path segment: `/product/weidian/<id>`, `/agent/taobao/<id>.html`. Case does not matter. */
export function platformWord(value: string): Platform | null {
  return WORDS[value.toLowerCase()] ?? null;
}

/** The value of a platform parameter (`shop_type=`, `platform=`, `source=`, `type=`, ...); `codes` null: no digits. */
export function platformParamValue(value: string, codes: CodeTable | null): Platform | null {
  const lower = value.toLowerCase();
  return (
    WORDS[lower] ?? SHORT_CODES[lower] ?? (codes !== null && /^[0-9]$/.test(lower) ? (codes[lower] ?? null) : null)
  );
}
