// Ajv 2020 over the bundled spec: compiles any schema of the spec (with its "#/components/schemas/..." refs)
// into a validator. The spec is JSON Schema 2020-12 (OpenAPI 3.1), so Ajv 2020 reads it as written.
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import ajvFormats from "ajv-formats";
import type { Json } from "../helpers.ts";

const SPEC_ID = "https://spec.local/openapi.json";

/** Deep copy with every "#/components/schemas/X" ref pointed at the spec's schemas registered under SPEC_ID. */
function retarget(node: Json): Json {
  if (Array.isArray(node)) return node.map(retarget);
  if (node === null || typeof node !== "object") return node;
  const copy: Json = {};
  for (const [key, value] of Object.entries(node)) {
    copy[key] =
      key === "$ref" && typeof value === "string" && value.startsWith("#/components/schemas/")
        ? `${SPEC_ID}#/$defs/${value.slice("#/components/schemas/".length)}`
        : retarget(value);
  }
  return copy;
}

export interface SpecValidator {
  /** Validates `value` against `schema` (a schema object taken from the spec); returns readable errors. */
  validate(schema: Json, value: unknown): string[];
}

export function createSpecValidator(spec: Json): SpecValidator {
  const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: true });
  // ajv-formats is CommonJS: its function is the default export of the module object.
  ajvFormats.default(ajv);
  ajv.addKeyword("x-enumDescriptions");
  ajv.addSchema({ $id: SPEC_ID, $defs: retarget(spec.components?.schemas ?? {}) });
  const cache = new Map<Json, ValidateFunction>();
  return {
    validate(schema, value) {
      const validator = cache.get(schema) ?? ajv.compile(retarget(schema));
      cache.set(schema, validator);
      if (validator(value)) return [];
      return (validator.errors ?? []).map(
        (error: ErrorObject) => `${error.instancePath || "/"} ${error.message ?? "is invalid"}`,
      );
    },
  };
}
