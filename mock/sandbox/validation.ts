// Ajv (JSON Schema 2020-12) validators compiled once, at start-up, from the bundled spec, and the translation of
// Ajv's errors into the one-line messages partners see in `msg` ("goodsId: must not be empty or 0").
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { SpecDocument } from "./spec.ts";

const specId = "https://sandbox.local/openapi.json";

export interface SpecValidators {
  /** A validator for the schema at this JSON pointer of the spec ("#/paths/..."). */
  compile: (pointer: string) => ValidateFunction;
}

export function specValidators(spec: SpecDocument): SpecValidators {
  // strict off: the spec carries OpenAPI and vendor keywords (x-enumDescriptions, example) Ajv does not know.
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
  addFormats.default(ajv);
  ajv.addSchema({ ...spec, $id: specId } as object);
  const cache = new Map<string, ValidateFunction>();
  return {
    compile(pointer) {
      let validate = cache.get(pointer);
      if (!validate) {
        validate = ajv.compile({ $ref: `${specId}${pointer}` });
        cache.set(pointer, validate);
      }
      return validate;
    },
  };
}

/** Field name from an Ajv instance path ("/createTime/0" -> "createTime[0]"). */
function fieldName(error: ErrorObject): string {
  const segments = error.instancePath.split("/").filter(Boolean);
  if (error.keyword === "required")
    segments.push(String((error.params as { missingProperty: string }).missingProperty));
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

const typeNames: Record<string, string> = {
  string: "a string",
  integer: "an integer",
  number: "a number",
  boolean: "true or false",
  object: "an object",
  array: "an array",
  null: "null",
};

/** The message of the first validation error, in the platform's style. */
export function describeValidationError(errors: ErrorObject[] | null | undefined): string {
  const error = errors?.[0];
  if (!error) return "request body is invalid";
  const field = fieldName(error);
  const leaf =
    field
      .replace(/\[\d+\]$/, "")
      .split(/[.[]/)
      .pop() ?? field;
  const params = error.params as Record<string, unknown>;
  if (field === "") {
    return error.keyword === "type"
      ? "request body must be a JSON object"
      : `request body is invalid: ${error.message}`;
  }
  // Rules with a message of their own in the guide.
  if (leaf === "imagesUrl" && error.keyword !== "required" && error.keyword !== "type") {
    return "The image URL format is invalid";
  }
  if (leaf === "grant_type" && error.keyword === "enum") {
    return "the open platform only supports the client_credentials grant";
  }
  if (leaf === "goodsId" && ["required", "minLength", "not"].includes(error.keyword)) {
    return `${field}: must not be empty or 0`;
  }
  switch (error.keyword) {
    case "required":
      return `${field}: must not be empty`;
    case "type":
      return `${field}: must be ${typeNames[String(params.type)] ?? String(params.type)}`;
    case "minLength":
      return params.limit === 1
        ? `${field}: must not be empty`
        : `${field}: must be at least ${params.limit} characters`;
    case "maxLength":
      return `${field}: must be at most ${params.limit} characters`;
    case "minimum":
      return `${field}: must be greater than or equal to ${params.limit}`;
    case "maximum":
      return `${field}: must be less than or equal to ${params.limit}`;
    case "enum":
      return `${field}: must be one of ${(params.allowedValues as unknown[]).join(", ")}`;
    case "const":
      return `${field}: must be ${JSON.stringify(params.allowedValue)}`;
    case "minItems":
    case "maxItems":
      return `${field}: must have ${params.limit} items`;
    case "pattern":
    case "format":
      return leaf.toLowerCase().includes("time")
        ? `${field}: must be a date and time as yyyy-MM-dd HH:mm:ss`
        : `${field}: has an invalid format`;
    default:
      return `${field}: ${error.message ?? "is invalid"}`;
  }
}
