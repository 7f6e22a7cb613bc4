// Is a new `pattern` tighter or looser than the old one? `redocly diff` cannot tell (it rates every edit of a
// pattern major, in requests and responses alike), and regex inclusion is not decidable for JavaScript regexes
// in general. So we look for witnesses: strings generated from one pattern (fast-check's stringMatching, seeded)
// that the other rejects. A witness proves the direction; finding none is evidence, not proof, so a pattern that
// cannot be sampled (lookarounds, backreferences) counts as changed in both directions.
import { Ajv2020 } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
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

type Accepts = (value: string) => boolean;

function witness(from: RegExp | undefined, fromAccepts: Accepts, againstAccepts: Accepts): Evidence {
  const drawn = samples(from);
  if (drawn === undefined) return { found: false, sampled: false };
  const hit = drawn.find((value) => fromAccepts(value) && !againstAccepts(value));
  return hit === undefined ? { found: false, sampled: true } : { found: true, witness: hit };
}

/** The string keywords that, with `pattern`, decide whether a value is accepted. */
const STRING_KEYWORDS = ["type", "pattern", "format", "minLength", "maxLength", "const", "enum"] as const;
// biome-ignore lint/suspicious/noExplicitAny: ajv-formats is CommonJS: its function is the module's default export
const addFormats = ((ajvFormats as any).default ?? ajvFormats) as (ajv: Ajv2020) => void;
const ajv = new Ajv2020({ strict: false, validateFormats: true });
addFormats(ajv);

/**
 * Whether a string passes a schema's string keywords: a pattern is never judged alone, since `format: uri` or a
 * length limit next to it also refuses values (a witness the other keywords refuse proves nothing).
 */
export function stringSchemaAcceptor(schema: Record<string, unknown> | undefined, pattern?: string): Accepts {
  const picked: Record<string, unknown> = {};
  for (const key of STRING_KEYWORDS) if (schema?.[key] !== undefined) picked[key] = schema[key];
  if (pattern === undefined) delete picked.pattern;
  else picked.pattern = pattern;
  const validate = ajv.compile(picked);
  return (value) => validate(value) === true;
}

/**
 * `undefined` stands for "no pattern" (every string matches). `schemas` are the schema objects holding the
 * patterns (before, after), whose other string keywords a witness must also pass.
 */
export function comparePatterns(
  oldPattern: string | undefined,
  newPattern: string | undefined,
  schemas: { before?: Record<string, unknown>; after?: Record<string, unknown> } = {},
): PatternComparison {
  const before = compile(oldPattern);
  const after = compile(newPattern);
  const acceptsBefore = stringSchemaAcceptor(schemas.before, oldPattern);
  const acceptsAfter = stringSchemaAcceptor(schemas.after, newPattern);
  return {
    tightened: witness(before, acceptsBefore, acceptsAfter),
    loosened: witness(after, acceptsAfter, acceptsBefore),
  };
}

/** True when the direction is proven, or could not be ruled out by sampling. */
export const mayHold = (evidence: Evidence): boolean => evidence.found || !evidence.sampled;
