// Seeded randomness for the demo data: the same seed gives the same goods, QC records and search order on every
// machine and every start, so the data can be documented and tested.

/** 32-bit FNV-1a hash of a string: turns an ID into a seed. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
}

/**
 * mulberry32: tiny, fast and good enough for demo data (not for anything secret). A class, not a closure: tsx
 * compiles with esbuild's keepNames, which wraps every named closure in a `__name(...)` call, so a factory that
 * built three closures per call spent a quarter of image search's CPU creating them.
 */
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  }
}

export function seededRng(seed: number | string): Rng {
  return new Mulberry32(typeof seed === "string" ? hashString(seed) : seed);
}
