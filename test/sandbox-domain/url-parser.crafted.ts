// Links built to cost the parser as much as possible, and an ordinary link of the same size to compare them with.
// Used by the work test (url-parser.work.test.ts) and the benchmark (bench/url-parser.bench.ts).

export const LIMIT = 2048; // the spec's maxLength of searchUrl

/** `http://a.co?url=http://a.co?productlink=...` nested to 2 KB around `inner`. */
export function nestedWrappers(inner: string, keys = ["url", "productlink", "producturl", "goodsurl", "link"]): string {
  let link = inner;
  for (let i = 0; ; i++) {
    const next = `http://a.co?${keys[i % keys.length]}=${link}`;
    if (next.length > LIMIT) return link;
    link = next;
  }
}

/** Every way the old parser branched at once: each level holds the next both plain and encoded. */
export function branchingWrappers(inner: string): string {
  let link = inner;
  for (;;) {
    const next = `http://a.co?url=${encodeURIComponent(link)}&link=${link}`;
    if (next.length > LIMIT) return link;
    link = next;
  }
}

/** An ordinary agent link padded to 2 KB with tracking parameters, as long as the crafted ones. */
export function ordinaryLongLink(): string {
  let link =
    "https://www.pandabuy.com/product?url=https%3A%2F%2Fitem.taobao.com%2Fitem.htm%3Fid%3D674680652328&inviteCode=ZZZ";
  for (let i = 0; link.length < LIMIT - 40; i++) link += `&utm_x${i}=${"t".repeat(20)}`;
  return link;
}
