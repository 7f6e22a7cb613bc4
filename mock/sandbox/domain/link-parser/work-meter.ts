// The bound on what one parse may cost, whatever the input (issue 10, finding 4). A crafted link of nested
// wrappers (`http://a.co?url=http://a.co?productlink=...`, 2 KB) used to branch up to 8 ways per level, 4 levels
// deep: thousands of URL parses for one request. Now every candidate link is parsed at most once (a set of the
// ones seen), wrappers are followed at most MAX_WRAP_DEPTH deep, and one parse reads at most MAX_CANDIDATES
// candidates and MAX_CHARS characters of them in all. Each candidate costs a URL parse and a pass over it, so
// the whole parse is linear in the input, with a constant that does not depend on how the input is built.

/** Real links wrap at most twice (an agent link holding a platform link, pasted through one more agent). */
export const MAX_WRAP_DEPTH = 4;
/** The outer link, its inner links, theirs: an ordinary wrapped link needs 2 or 3. */
export const MAX_CANDIDATES = 16;
/** Eight times the longest `searchUrl` the spec accepts (2,048 characters). */
export const MAX_CHARS = 16_384;

export class WorkMeter {
  /** Candidate links parsed (each one URL parse and one pass over its text). */
  candidates = 0;
  /** Characters of candidate links parsed: the work units. */
  chars = 0;
  /** True once a limit refused a candidate: the parse ended early. */
  exhausted = false;
  private readonly seen = new Set<string>();

  /** Whether this candidate may be parsed; counts it when it may. A candidate seen before is not parsed again. */
  admit(candidate: string): boolean {
    if (this.seen.has(candidate)) return false;
    if (this.candidates >= MAX_CANDIDATES || this.chars + candidate.length > MAX_CHARS) {
      this.exhausted = true;
      return false;
    }
    this.seen.add(candidate);
    this.candidates++;
    this.chars += candidate.length;
    return true;
  }
}
