// From a request schema to fast-check arbitraries: values the schema accepts and values it rejects. Covers the
// subset this spec uses (objects, strings with pattern/min/maxLength/enum/const/not, integers with min/max,
// arrays, oneOf, nullable type lists); both sides are filtered through the Ajv validator of the same schema, so a
// "valid" case is valid and an "invalid" one invalid whatever the generator got wrong.
import fc from "fast-check";
import { isObject, type JsonObject, type JsonValue } from "./spec.ts";

/** Keys that name Object.prototype members: valid data wherever unknown properties are. */
export const prototypeKeys = ["__proto__", "constructor"] as const;

export type Deref = (value: JsonValue | undefined) => JsonValue | undefined;

export interface GenerateOptions {
  deref: Deref;
  /** Form bodies carry strings only: no type mutations, no numbers. */
  form: boolean;
  /** Replaces the arbitrary of a top-level property (e.g. scopes the application really holds). */
  overrides?: Record<string, fc.Arbitrary<JsonValue | undefined>>;
}

const types = (schema: JsonObject): string[] =>
  Array.isArray(schema.type) ? schema.type.map(String) : typeof schema.type === "string" ? [schema.type] : [];

function resolved(value: JsonValue | undefined, deref: Deref): JsonObject {
  const node = deref(value);
  return isObject(node) ? node : {};
}

/** Merges a property schema that is `$ref` plus sibling keywords (3.1 allows both). */
function mergedProperty(value: JsonValue | undefined, deref: Deref): JsonObject {
  if (isObject(value) && typeof value.$ref === "string") {
    const { $ref: _ref, ...siblings } = value;
    return { ...resolved(value, deref), ...siblings };
  }
  return resolved(value, deref);
}

function stringArbitrary(schema: JsonObject): fc.Arbitrary<JsonValue> {
  const minLength = typeof schema.minLength === "number" ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === "number" ? schema.maxLength : 64;
  if (typeof schema.pattern === "string") {
    const pattern = new RegExp(schema.pattern);
    // A URI pattern such as `[^\s?#]+` admits characters `format: uri` forbids: swap them for a letter.
    const uriSafe = (s: string) => (schema.format === "uri" ? s.replace(/[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=]/g, "a") : s);
    // No .filter here: fast-check retries a filter forever, and a schema no string satisfies would hang the run.
    // The caller keeps only what the schema's validator accepts (sampleAccepted), which bounds the attempts.
    return fc.stringMatching(pattern).map(uriSafe);
  }
  if (schema.format === "uri") {
    return fc.stringMatching(/^[a-z0-9]{1,12}(\/[a-z0-9]{1,12}){0,3}$/).map((p) => `https://example.com/${p}`);
  }
  return fc.string({ minLength, maxLength: Math.min(maxLength, minLength + 40) });
}

/** Values the schema accepts (before the Ajv filter). */
export function validArbitrary(
  schemaIn: JsonValue | undefined,
  options: GenerateOptions,
  depth = 0,
): fc.Arbitrary<JsonValue> {
  const schema = mergedProperty(schemaIn, options.deref);
  if (depth > 8) return fc.constant(null);
  if ("const" in schema) return fc.constant(schema.const as JsonValue);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...schema.enum);
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) {
    return fc.oneof(...schema.oneOf.map((s) => validArbitrary(s, options, depth + 1)));
  }
  const kinds = types(schema);
  if (kinds.length > 1) {
    return fc.oneof(...kinds.map((type) => validArbitrary({ ...schema, type }, options, depth + 1)));
  }
  switch (kinds[0]) {
    case "object": {
      const properties = isObject(schema.properties) ? schema.properties : {};
      const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
      const model: Record<string, fc.Arbitrary<JsonValue | undefined>> = {};
      for (const [key, prop] of Object.entries(properties)) {
        const override = depth === 0 ? options.overrides?.[key] : undefined;
        model[key] = override ?? validArbitrary(prop, options, depth + 1);
      }
      const record = fc.record(model, { requiredKeys: [...required].filter((k) => k in model) }).map(dropUndefined);
      if (schema.additionalProperties === false) return record;
      // An open object (every request body here) must also accept fields it does not know: sometimes add one,
      // sometimes one named like an Object.prototype member (a server's prototype-poisoning guard must drop or
      // ignore such a key in a valid body, not refuse the request; schemathesis' positive_data_acceptance).
      const extra = fc.option(
        fc.uniqueArray(
          fc.tuple(
            fc.oneof(fc.stringMatching(/^extra[A-Z][a-z]{0,8}$/), fc.constantFrom(...prototypeKeys)),
            fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.constant<JsonValue>({ polluted: true })),
          ),
          { maxLength: 2, selector: ([key]) => key },
        ),
        { nil: undefined, freq: 4 },
      );
      return fc.tuple(record, extra).map(([known, unknown]) => ({
        // Object.fromEntries and spreading define "__proto__" as an own key, exactly as JSON.parse would.
        ...Object.fromEntries((unknown ?? []).filter(([key]) => !Object.hasOwn(properties, key))),
        ...known,
      }));
    }
    case "array": {
      const minLength = typeof schema.minItems === "number" ? schema.minItems : 0;
      const maxLength = typeof schema.maxItems === "number" ? schema.maxItems : Math.max(minLength, 3);
      return fc.array(validArbitrary(schema.items, options, depth + 1), { minLength, maxLength });
    }
    case "string":
      return stringArbitrary(schema);
    case "integer": {
      const min = typeof schema.minimum === "number" ? schema.minimum : -1_000_000;
      const max = typeof schema.maximum === "number" ? schema.maximum : 1_000_000;
      return fc.integer({ min, max });
    }
    case "number":
      return fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    default:
      return fc.constant("x");
  }
}

/**
 * Up to `count` values of `arbitrary` that `accept` takes, drawn in seeded rounds of `count * 2` (at most 10
 * rounds). fc.sample with a filter loops forever when the filter never passes (a schema the generator cannot
 * satisfy); this returns fewer values, or none, so that the caller can say so.
 */
export function sampleAccepted<T>(
  arbitrary: fc.Arbitrary<T>,
  accept: (value: T) => boolean,
  count: number,
  seed: number,
): T[] {
  const out: T[] = [];
  for (let round = 0; round < 10 && out.length < count; round++) {
    for (const value of fc.sample(arbitrary, { seed: seed + round * 104729, numRuns: count * 2 })) {
      if (out.length < count && accept(value)) out.push(value);
    }
  }
  return out;
}

function dropUndefined(record: Record<string, JsonValue | undefined>): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(record)) if (value !== undefined) out[key] = value;
  return out;
}

/** Values that break one rule of the schema (before the Ajv filter drops the ones that do not). */
export function invalidArbitrary(
  schemaIn: JsonValue | undefined,
  options: GenerateOptions,
  depth = 0,
): fc.Arbitrary<JsonValue> {
  const schema = mergedProperty(schemaIn, options.deref);
  const strategies: fc.Arbitrary<JsonValue>[] = [];
  const kinds = types(schema);
  if (!options.form && kinds.length > 0) strategies.push(wrongType(kinds));
  if ("const" in schema)
    strategies.push(fc.constant(typeof schema.const === "string" ? `${schema.const}-not` : "not-the-const"));
  if (Array.isArray(schema.enum)) {
    strategies.push(
      kinds.includes("integer") && !options.form
        ? fc.integer({ min: 5, max: 999 })
        : fc.constant("not-an-allowed-value"),
    );
  }
  if (isObject(schema.not) && "const" in schema.not) strategies.push(fc.constant(schema.not.const as JsonValue));
  if (kinds.includes("string")) {
    if (typeof schema.maxLength === "number") {
      const over = schema.maxLength + 1;
      strategies.push(fc.constant("a".repeat(over)));
    }
    if (typeof schema.minLength === "number" && schema.minLength > 0) strategies.push(fc.constant(""));
    if (typeof schema.pattern === "string")
      strategies.push(fc.constantFrom(" ", "not matching!", "2026/06/01", "-1", "??"));
  }
  if (kinds.includes("integer") && !options.form) {
    if (typeof schema.minimum === "number")
      strategies.push(fc.integer({ min: schema.minimum - 1000, max: schema.minimum - 1 }));
    if (typeof schema.maximum === "number")
      strategies.push(fc.integer({ min: schema.maximum + 1, max: schema.maximum + 1000 }));
    strategies.push(fc.constant(1.5));
  }
  if (kinds.includes("array") && depth < 8) {
    if (typeof schema.minItems === "number" && schema.minItems > 0) strategies.push(fc.constant([]));
    if (typeof schema.maxItems === "number") {
      strategies.push(
        fc.array(validArbitrary(schema.items, options, depth + 1), {
          minLength: schema.maxItems + 1,
          maxLength: schema.maxItems + 2,
        }),
      );
    }
    const minItems = typeof schema.minItems === "number" ? Math.max(schema.minItems, 1) : 1;
    strategies.push(
      fc.array(invalidArbitrary(schema.items, options, depth + 1), { minLength: minItems, maxLength: minItems }),
    );
  }
  if (kinds.includes("object") && depth < 8) {
    const properties = isObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required.map(String) : [];
    const base = validArbitrary(schema, options, depth) as fc.Arbitrary<JsonObject>;
    for (const key of required) {
      strategies.push(
        base.map((obj) => {
          const { [key]: _dropped, ...rest } = obj;
          return rest;
        }),
      );
    }
    for (const [key, prop] of Object.entries(properties)) {
      strategies.push(
        fc.tuple(base, invalidArbitrary(prop, options, depth + 1)).map(([obj, bad]) => ({ ...obj, [key]: bad })),
      );
    }
  }
  return strategies.length > 0 ? fc.oneof(...strategies) : fc.constant(null);
}

function wrongType(kinds: string[]): fc.Arbitrary<JsonValue> {
  const samples: [string, JsonValue][] = [
    ["string", "a string"],
    ["integer", 12345],
    ["boolean", true],
    ["object", { unexpected: "object" }],
    ["array", ["unexpected", "array"]],
    ["null", null],
  ];
  // "number" accepts integers and "integer" accepts 12345: leave out what a declared type would still accept.
  const other = samples.filter(([type]) => !kinds.includes(type) && !(type === "integer" && kinds.includes("number")));
  return fc.constantFrom(...other.map(([, value]) => value));
}
