// Is a new `pattern` tighter or looser than the old one? `redocly diff` cannot tell (it rates every edit of a
// pattern major, in requests and responses alike), and regex inclusion is not decidable for JavaScript regexes
// in general. So we look for witnesses: strings generated from one pattern (fast-check's stringMatching, seeded)
// that the other rejects. A witness proves the direction; finding none is evidence, not proof, so a pattern that
// cannot be sampled (lookarounds, backreferences) counts as changed in both directions.
import fc from "fast-check";

export type Evidence = { found: true; witness: string } | { found: false; sampled: boolean };

export interface PatternComparison {
  /** Some string the old pattern accepted is now rejected (breaks requests). */
  tightened: Evidence;
  /** Some string the new pattern accepts was rejected before (breaks responses). */
  loosened: Evidence;
}

/** Per size: fast-check favours short strings by default; "medium" reaches the far end of {0,19}-like counts. */
const SAMPLES = 300;
const SIZES = ["small", "medium"] as const;
const SEED = 20260601;

function compile(pattern: string | undefined): RegExp | undefined {
  // JSON Schema patterns are ECMA-262 regexes with the unicode flag, as Ajv compiles them.
  return pattern === undefined ? undefined : new RegExp(pattern, "u");
}

function accepts(regex: RegExp | undefined, value: string): boolean {
  return regex === undefined || regex.test(value);
}

function samples(regex: RegExp | undefined): string[] | undefined {
  try {
    return SIZES.flatMap((size) =>
      fc.sample(
        regex === undefined ? fc.string({ unit: "grapheme", size, maxLength: 64 }) : fc.stringMatching(regex, { size }),
        {
          numRuns: SAMPLES,
          seed: SEED,
        },
      ),
    );
  } catch {
    return undefined; // e.g. "Assertions of kind Lookahead not implemented yet"
  }
}

function witness(from: RegExp | undefined, against: RegExp | undefined): Evidence {
  const drawn = samples(from);
  if (drawn === undefined) return { found: false, sampled: false };
  const hit = drawn.find((value) => accepts(from, value) && !accepts(against, value));
  return hit === undefined ? { found: false, sampled: true } : { found: true, witness: hit };
}

/** `undefined` stands for "no pattern" (every string matches). */
export function comparePatterns(oldPattern: string | undefined, newPattern: string | undefined): PatternComparison {
  const before = compile(oldPattern);
  const after = compile(newPattern);
  return { tightened: witness(before, after), loosened: witness(after, before) };
}

/** True when the direction is proven, or could not be ruled out by sampling. */
export const mayHold = (evidence: Evidence): boolean => evidence.found || !evidence.sampled;
