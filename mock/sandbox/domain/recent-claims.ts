// The requestIds claimed within their window, held in memory by the SQLite redeemer (sqlite-redemptions.ts says
// why and how they are kept true to the store).
//
// Held off the JavaScript heap, in typed arrays: a claim is a 64-bit fingerprint of its tenant, app and requestId
// (a hash keyed with a random seed per process), when it was accepted and the id of its redemption. A Map of the
// requestId strings did the same job, but every claim's string then lived on the heap for 10 minutes: the garbage
// collector copied each one out of the young generation and marked them all again and again, ~3 µs per
// redemption over HTTP. Here the collector sees a few arrays.
//
// - An open-addressing hash table (linear probing, deletion by backward shift, at most half full, doubled when it
//   needs to be) answers "was this fingerprint accepted, when, by which redemption".
// - A queue holds the claims in the order they were made, so the ones past their window are dropped from its
//   front, a slice at a time, never by a scan.
// - Two different requestIds share a fingerprint once in ~2^64: the caller confirms a claim found inside its
//   window against the redemption row it names, and keeps a claim whose fingerprint is taken elsewhere.
// - The changes of a running transaction are applied at once and undone if it rolls back (`discard`), so a group
//   rolled back leaves no claim behind.
// - At most `capacity` claims (a table slot is 24 bytes and at most half the slots are used; 16 bytes in the
//   queue: ~70 MB for a million); a claim that finds no room is not taken here: the caller keeps it in the store.
import { getRandomValues } from "node:crypto";

/** How many claims past their window one call of `expire` drops at most: a slice of work, never a pause. */
const EXPIRE_STEP = 1024;
/** The smallest table and queue (slots); both double as claims arrive. */
const INITIAL_SLOTS = 4096;

/** 32 bits of avalanche (MurmurHash3's finaliser): every input bit moves about half of the output bits. */
function fmix32(h: number): number {
  let x = h ^ (h >>> 16);
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  return x ^ (x >>> 16);
}

/** A claim's fingerprint: two independent 32-bit hashes of its tenant, app and requestId, keyed per process. */
export class ClaimFingerprint {
  hi = 0;
  lo = 0;
  private readonly seed = getRandomValues(new Int32Array(2));
  private h1 = 0;
  private h2 = 0;

  /** Computes the fingerprint of one claim (in place: one object per redeemer, none per redemption). */
  of(tenantId: string, appId: string, requestId: string): this {
    this.h1 = this.seed[0] as number;
    this.h2 = this.seed[1] as number;
    this.feed(tenantId);
    this.feed(appId);
    this.feed(requestId);
    this.hi = fmix32(this.h1);
    this.lo = fmix32(this.h2);
    return this;
  }

  private feed(part: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 = (h2 << 15) | (h2 >>> 17);
    }
    // A separator no UTF-16 unit equals: ("ab", "c") and ("a", "bc") differ.
    this.h1 = Math.imul(h1 ^ 0x10000, 0x01000193);
    this.h2 = Math.imul(h2 ^ 0x10000, 0x5bd1e995);
  }
}

/** The fingerprint table: parallel typed arrays, a slot is empty when its time is 0 (times are epoch ms). */
class Slots {
  hi: Int32Array;
  lo: Int32Array;
  at: Float64Array;
  redemption: Float64Array;
  size = 0;

  constructor(length: number) {
    this.hi = new Int32Array(length);
    this.lo = new Int32Array(length);
    this.at = new Float64Array(length);
    this.redemption = new Float64Array(length);
  }

  /** The slot holding this fingerprint, or the empty slot where it would go. */
  find(hi: number, lo: number): number {
    const mask = this.at.length - 1;
    let i = lo & mask;
    while (this.at[i] !== 0 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  set(hi: number, lo: number, at: number, redemption: number): void {
    if ((this.size + 1) * 2 > this.at.length) this.grow();
    const i = this.find(hi, lo);
    if (this.at[i] === 0) this.size += 1;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.at[i] = at;
    this.redemption[i] = redemption;
  }

  /** Empties a slot, moving back the entries after it that probed past it (no tombstones). */
  delete(slot: number): void {
    const mask = this.at.length - 1;
    let hole = slot;
    for (let j = (hole + 1) & mask; this.at[j] !== 0; j = (j + 1) & mask) {
      const home = (this.lo[j] as number) & mask;
      // The entry at j may fill the hole unless its home lies cyclically in (hole, j].
      const between = hole <= j ? hole < home && home <= j : hole < home || home <= j;
      if (between) continue;
      this.hi[hole] = this.hi[j] as number;
      this.lo[hole] = this.lo[j] as number;
      this.at[hole] = this.at[j] as number;
      this.redemption[hole] = this.redemption[j] as number;
      hole = j;
    }
    this.at[hole] = 0;
    this.size -= 1;
  }

  private grow(): void {
    const old = { hi: this.hi, lo: this.lo, at: this.at, redemption: this.redemption };
    const length = old.at.length * 2;
    this.hi = new Int32Array(length);
    this.lo = new Int32Array(length);
    this.at = new Float64Array(length);
    this.redemption = new Float64Array(length);
    for (let i = 0; i < old.at.length; i++) {
      if (old.at[i] === 0) continue;
      const j = this.find(old.hi[i] as number, old.lo[i] as number);
      this.hi[j] = old.hi[i] as number;
      this.lo[j] = old.lo[i] as number;
      this.at[j] = old.at[i] as number;
      this.redemption[j] = old.redemption[i] as number;
    }
  }
}

/** The claims in the order they were applied: a ring of fingerprints and times, doubled when full. */
class Queue {
  hi = new Int32Array(INITIAL_SLOTS);
  lo = new Int32Array(INITIAL_SLOTS);
  at = new Float64Array(INITIAL_SLOTS);
  head = 0;
  length = 0;

  push(hi: number, lo: number, at: number): void {
    if (this.length === this.at.length) this.grow();
    const i = (this.head + this.length) & (this.at.length - 1);
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.at[i] = at;
    this.length += 1;
  }

  /** Doubles the ring, its entries moved to the front in their order. */
  private grow(): void {
    const n = this.at.length;
    const hi = new Int32Array(n * 2);
    const lo = new Int32Array(n * 2);
    const at = new Float64Array(n * 2);
    for (let k = 0; k < n; k++) {
      const i = (this.head + k) & (n - 1);
      hi[k] = this.hi[i] as number;
      lo[k] = this.lo[i] as number;
      at[k] = this.at[i] as number;
    }
    this.hi = hi;
    this.lo = lo;
    this.at = at;
    this.head = 0;
  }
}

/**
 * The running transaction's claims, each with what its slot held before (time 0: nothing), to apply or undo.
 * Typed arrays too: the first group after a start may stage the whole window (a million claims).
 */
class StagedLog {
  hi = new Int32Array(INITIAL_SLOTS);
  lo = new Int32Array(INITIAL_SLOTS);
  at = new Float64Array(INITIAL_SLOTS);
  before = new Float64Array(INITIAL_SLOTS);
  beforeRedemption = new Float64Array(INITIAL_SLOTS);
  length = 0;

  push(hi: number, lo: number, at: number, before: number, beforeRedemption: number): void {
    if (this.length === this.at.length) this.resize(this.length * 2);
    const i = this.length++;
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.at[i] = at;
    this.before[i] = before;
    this.beforeRedemption[i] = beforeRedemption;
  }

  /** Empties the log, and gives back the memory a large one took. */
  clear(): void {
    this.length = 0;
    if (this.at.length > INITIAL_SLOTS) this.resize(INITIAL_SLOTS);
  }

  private resize(length: number): void {
    const keep = Math.min(this.length, length);
    const copy = <A extends Int32Array | Float64Array>(a: A, into: A): A => {
      into.set(a.subarray(0, keep));
      return into;
    };
    this.hi = copy(this.hi, new Int32Array(length));
    this.lo = copy(this.lo, new Int32Array(length));
    this.at = copy(this.at, new Float64Array(length));
    this.before = copy(this.before, new Float64Array(length));
    this.beforeRedemption = copy(this.beforeRedemption, new Float64Array(length));
  }
}

export class RecentClaims {
  private readonly slots = new Slots(INITIAL_SLOTS);
  private readonly queue = new Queue();
  private readonly staged = new StagedLog();

  constructor(readonly capacity: number) {}

  get size(): number {
    return this.slots.size;
  }

  /** When this fingerprint's claim was accepted (staged claims included); undefined if it is not held here. */
  acceptedAt(fp: ClaimFingerprint): number | undefined {
    const at = this.slots.at[this.slots.find(fp.hi, fp.lo)] as number;
    return at === 0 ? undefined : at;
  }

  /** The redemption of this fingerprint's claim (asked once `acceptedAt` found one, to confirm it). */
  redemptionOf(fp: ClaimFingerprint): number {
    return this.slots.redemption[this.slots.find(fp.hi, fp.lo)] as number;
  }

  /**
   * Stages a claim; false when there is no room for a new one (the caller keeps it elsewhere). `held`: what
   * `acceptedAt` answered for this fingerprint (a claim past its window, whose slot it takes over).
   */
  stage(fp: ClaimFingerprint, acceptedAt: number, redemption: number, held: number | undefined): boolean {
    if (held === undefined && this.slots.size >= this.capacity) return false;
    const slot = this.slots.find(fp.hi, fp.lo);
    this.staged.push(fp.hi, fp.lo, acceptedAt, this.slots.at[slot] as number, this.slots.redemption[slot] as number);
    this.slots.set(fp.hi, fp.lo, acceptedAt, redemption);
    return true;
  }

  /** The running transaction committed: its claims stay, and join the queue. */
  commit(): void {
    const log = this.staged;
    for (let i = 0; i < log.length; i++) this.queue.push(log.hi[i] as number, log.lo[i] as number, log.at[i] as number);
    log.clear();
  }

  /** The running transaction was rolled back: its claims are undone, the last first. */
  discard(): void {
    const log = this.staged;
    for (let i = log.length - 1; i >= 0; i--) {
      const hi = log.hi[i] as number;
      const lo = log.lo[i] as number;
      const before = log.before[i] as number;
      if (before === 0) this.slots.delete(this.slots.find(hi, lo));
      else this.slots.set(hi, lo, before, log.beforeRedemption[i] as number);
    }
    log.clear();
  }

  /** Drops claims accepted at or before `before`, from the oldest, at most EXPIRE_STEP of them. */
  expire(before: number): void {
    const q = this.queue;
    const mask = q.at.length - 1;
    for (let n = 0; n < EXPIRE_STEP && q.length > 0 && (q.at[q.head] as number) <= before; n++) {
      const slot = this.slots.find(q.hi[q.head] as number, q.lo[q.head] as number);
      // A claim taken over since has a later time: this older entry of the queue must not drop it.
      if (this.slots.at[slot] === q.at[q.head]) this.slots.delete(slot);
      q.head = (q.head + 1) & mask;
      q.length -= 1;
    }
  }
}
