// The contract as the runner sees it: the operations of the bundled spec (or --spec), with their request schemas,
// documented responses and validators compiled by Ajv 2020 straight from the 3.1 document.
import { readFileSync } from "node:fs";
import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { bundledSpecPath } from "./assets.ts";

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export interface HeaderSpec {
  name: string;
  required: boolean;
  schemaPointer: string;
}

export interface ResponseSpec {
  status: string;
  /** Media types documented for this status (empty when the response has no body). */
  contentTypes: string[];
  /** JSON pointer (into the bundled spec) of the application/json schema. */
  schemaPointer?: string;
  headers: HeaderSpec[];
}

export interface Operation {
  operationId: string;
  method: string;
  path: string;
  /** Where the rule lives in the spec, for failure messages. */
  pointer: string;
  securityScheme: string;
  scopes: string[];
  requestContentType: string;
  requestSchemaPointer: string;
  requestExamples: JsonObject[];
  /** Required header parameters other than Authorization (here: tenant-id). */
  requiredHeaders: string[];
  responses: Map<string, ResponseSpec>;
  businessErrorCodes: number[];
}

export interface LoadedSpec {
  /** The single-file JSON document every layer reads. */
  path: string;
  doc: JsonObject;
  operations: Operation[];
  /** Follows one or more `$ref`s to the object they name. */
  deref: (value: JsonValue | undefined) => JsonValue | undefined;
  validator: (pointer: string) => ValidateFunction;
  /** Every scope the spec's OAuth2 scheme declares. */
  declaredScopes: string[];
}

const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

function resolvePointer(doc: JsonObject, pointer: string): JsonValue | undefined {
  if (!pointer.startsWith("#/")) throw new Error(`only local $refs are supported in the bundled spec, got ${pointer}`);
  let node: JsonValue | undefined = doc;
  for (const raw of pointer.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = isObject(node) ? node[key] : Array.isArray(node) ? node[Number(key)] : undefined;
  }
  return node;
}

export function formatAjvErrors(errors: ErrorObject[] | null | undefined, limit = 4): string {
  if (!errors?.length) return "";
  // oneOf failures repeat every branch's errors; the first few say enough.
  const lines = errors.slice(0, limit).map((e) => {
    const where = e.instancePath || "(root)";
    const extra =
      e.keyword === "additionalProperties"
        ? ` '${String((e.params as { additionalProperty?: string }).additionalProperty)}'`
        : e.keyword === "enum" || e.keyword === "const"
          ? ` ${JSON.stringify((e.params as { allowedValues?: unknown; allowedValue?: unknown }).allowedValues ?? (e.params as { allowedValue?: unknown }).allowedValue)}`
          : "";
    return `${where} ${e.message ?? e.keyword}${extra}`;
  });
  return lines.join("; ") + (errors.length > limit ? ` (+${errors.length - limit} more)` : "");
}

// ajv-formats ships CommonJS with a default export that tsx/NodeNext see one level deep.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => Ajv2020;

export function loadSpec(path = bundledSpecPath): LoadedSpec {
  const doc = JSON.parse(readFileSync(path, "utf8")) as JsonObject;
  const deref = (value: JsonValue | undefined): JsonValue | undefined => {
    let node = value;
    for (let hops = 0; isObject(node) && typeof node.$ref === "string"; hops++) {
      if (hops > 20) throw new Error(`$ref cycle at ${node.$ref}`);
      node = resolvePointer(doc, node.$ref);
    }
    return node;
  };

  const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc as object, "spec");
  const compiled = new Map<string, ValidateFunction>();
  const validator = (pointer: string) => {
    let fn = compiled.get(pointer);
    if (!fn) {
      fn = ajv.compile({ $ref: `spec${pointer}` });
      compiled.set(pointer, fn);
    }
    return fn;
  };

  const operations: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  const rootSecurity = Array.isArray(doc.security) ? doc.security : [];
  for (const [path, pathItemRaw] of Object.entries(paths)) {
    const pathItem = deref(pathItemRaw);
    if (!isObject(pathItem)) continue;
    for (const [method, opRaw] of Object.entries(pathItem)) {
      if (!["get", "put", "post", "delete", "patch"].includes(method) || !isObject(opRaw)) continue;
      const op = opRaw;
      const pointer = `#/paths/${escapePointer(path)}/${method}`;
      const security = (Array.isArray(op.security) ? op.security : rootSecurity)[0];
      const [securityScheme, scopes] = isObject(security) ? (Object.entries(security)[0] ?? ["", []]) : ["", []];
      const body = deref(op.requestBody);
      const content = isObject(body) && isObject(body.content) ? body.content : {};
      const [requestContentType, media] = Object.entries(content)[0] ?? ["application/json", null];
      const requestExamples: JsonObject[] = [];
      if (isObject(media) && isObject(media.examples)) {
        for (const example of Object.values(media.examples)) {
          const resolved = deref(example);
          if (isObject(resolved) && isObject(resolved.value)) requestExamples.push(resolved.value);
        }
      }
      const requiredHeaders: string[] = [];
      for (const param of Array.isArray(op.parameters) ? op.parameters : []) {
        const p = deref(param);
        if (isObject(p) && p.in === "header" && p.required === true && typeof p.name === "string") {
          requiredHeaders.push(p.name);
        }
      }
      const responses = new Map<string, ResponseSpec>();
      for (const [status, resRaw] of Object.entries(isObject(op.responses) ? op.responses : {})) {
        const res = deref(resRaw);
        if (!isObject(res)) continue;
        // Validators point into the spec through the response's own $ref, so a shared response compiles once.
        const resPointer =
          isObject(resRaw) && typeof resRaw.$ref === "string"
            ? resRaw.$ref
            : `${pointer}/responses/${escapePointer(status)}`;
        const resContent = isObject(res.content) ? res.content : {};
        const headers: HeaderSpec[] = [];
        for (const [name, headerRaw] of Object.entries(isObject(res.headers) ? res.headers : {})) {
          const header = deref(headerRaw);
          if (!isObject(header)) continue;
          const headerPointer =
            isObject(headerRaw) && typeof headerRaw.$ref === "string"
              ? headerRaw.$ref
              : `${resPointer}/headers/${escapePointer(name)}`;
          headers.push({ name, required: header.required === true, schemaPointer: `${headerPointer}/schema` });
        }
        responses.set(status, {
          status,
          contentTypes: Object.keys(resContent),
          schemaPointer: isObject(resContent["application/json"])
            ? `${resPointer}/content/application~1json/schema`
            : undefined,
          headers,
        });
      }
      const businessErrorCodes = (Array.isArray(op["x-business-errors"]) ? op["x-business-errors"] : [])
        .map((e) => (isObject(e) && typeof e.code === "number" ? e.code : undefined))
        .filter((c): c is number => c !== undefined);
      operations.push({
        operationId: String(op.operationId),
        method,
        path,
        pointer,
        securityScheme,
        scopes: Array.isArray(scopes) ? scopes.map(String) : [],
        requestContentType,
        requestSchemaPointer: `${isObject(op.requestBody) && typeof op.requestBody.$ref === "string" ? op.requestBody.$ref : `${pointer}/requestBody`}/content/${escapePointer(requestContentType)}/schema`,
        requestExamples,
        requiredHeaders,
        responses,
        businessErrorCodes,
      });
    }
  }

  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const declaredScopes = new Set<string>();
  for (const scheme of Object.values(schemes)) {
    const s = deref(scheme);
    if (!isObject(s) || !isObject(s.flows)) continue;
    for (const flow of Object.values(s.flows)) {
      if (isObject(flow) && isObject(flow.scopes))
        for (const scope of Object.keys(flow.scopes)) declaredScopes.add(scope);
    }
  }
  return { path, doc, operations, deref, validator, declaredScopes: [...declaredScopes] };
}
