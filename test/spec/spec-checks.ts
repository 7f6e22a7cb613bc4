// The contract's own checks, as pure functions over the bundled spec that return violations. Each walks every
// operation of the spec, so a new operation is covered without a new test; each has a failing case in
// contract-rules.test.ts so none of them can pass vacuously.
import type { Json } from "../helpers.ts";
import { guideConstants, guideNullable, guideOperations, guideWithheld, type OperationId } from "./guide-fields.ts";
import { createSpecValidator } from "./spec-ajv.ts";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
const PROTOCOL_STATUSES = ["400", "401", "403", "429", "500"];

export interface Operation {
  path: string;
  method: string;
  op: Json;
}

/** Follows a local "#/..." $ref (repeatedly) to the object it names. */
export function deref(spec: Json, node: Json): Json {
  let current = node;
  const seen = new Set<string>();
  while (current && typeof current === "object" && typeof current.$ref === "string") {
    const ref: string = current.$ref;
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    current = ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce((target: Json, key) => target?.[key], spec);
    if (current === undefined) throw new Error(`unresolved $ref ${ref}`);
  }
  return current;
}

export function operations(spec: Json): Operation[] {
  const found: Operation[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of METHODS) if (item[method]) found.push({ path, method, op: item[method] });
  }
  return found;
}

function mediaTypes(spec: Json, op: Json): { where: string; status?: string; media: Json }[] {
  const found: { where: string; status?: string; media: Json }[] = [];
  const body = op.requestBody ? deref(spec, op.requestBody) : undefined;
  for (const [type, media] of Object.entries<Json>(body?.content ?? {}))
    found.push({ where: `request ${type}`, media });
  for (const [status, response] of Object.entries<Json>(op.responses ?? {})) {
    for (const [type, media] of Object.entries<Json>(deref(spec, response).content ?? {})) {
      found.push({ where: `response ${status} ${type}`, status, media });
    }
  }
  return found;
}

function exampleValues(spec: Json, media: Json): { name: string; value: Json }[] {
  const named = Object.entries<Json>(media.examples ?? {}).map(([name, example]) => ({
    name,
    value: deref(spec, example).value,
  }));
  return media.example === undefined ? named : [...named, { name: "example", value: media.example }];
}

/** Every example (named, inline and schema-level) validates against its schema with Ajv 2020. */
export function checkExamplesValidate(spec: Json): string[] {
  const validator = createSpecValidator(spec);
  const problems: string[] = [];
  for (const { op } of operations(spec)) {
    for (const { where, media } of mediaTypes(spec, op)) {
      for (const { name, value } of exampleValues(spec, media)) {
        for (const error of validator.validate(media.schema, value)) {
          problems.push(`${op.operationId} ${where} example ${name}: ${error}`);
        }
      }
    }
    for (const parameter of (op.parameters ?? []).map((p: Json) => deref(spec, p))) {
      if (parameter.example === undefined) continue;
      for (const error of validator.validate(parameter.schema, parameter.example)) {
        problems.push(`${op.operationId} parameter ${parameter.name} example: ${error}`);
      }
    }
  }
  for (const [name, schema] of Object.entries<Json>(spec.components?.schemas ?? {})) {
    for (const [index, value] of (schema.examples ?? []).entries()) {
      for (const error of validator.validate(schema, value))
        problems.push(`schema ${name} examples[${index}]: ${error}`);
    }
  }
  return problems;
}

/**
 * Every operation has a request example, a success example (code 0) under a 2xx status, an example for each
 * status it documents, and an example for each business error it lists.
 */
export function checkExampleCoverage(spec: Json): string[] {
  const problems: string[] = [];
  for (const { op } of operations(spec)) {
    const id = op.operationId;
    const media = mediaTypes(spec, op);
    const request = media.filter((m) => m.status === undefined);
    if (request.length > 0 && request.every((m) => exampleValues(spec, m.media).length === 0)) {
      problems.push(`${id}: no request example`);
    }
    const statuses = Object.keys(op.responses ?? {});
    for (const status of statuses) {
      const examples = media.filter((m) => m.status === status).flatMap((m) => exampleValues(spec, m.media));
      if (examples.length === 0) problems.push(`${id}: no example for response ${status}`);
    }
    const successExamples = media
      .filter((m) => m.status?.startsWith("2"))
      .flatMap((m) => exampleValues(spec, m.media))
      .filter((e) => e.value?.code === 0);
    if (successExamples.length === 0) problems.push(`${id}: no 2xx example with code 0`);
    const okExamples = media.filter((m) => m.status === "200").flatMap((m) => exampleValues(spec, m.media));
    for (const error of op["x-business-errors"] ?? []) {
      if (!okExamples.some((e) => e.value?.code === error.code && e.value?.msg === error.message)) {
        problems.push(`${id}: no 200 example for business error ${error.code} "${error.message}"`);
      }
    }
  }
  return problems;
}

/**
 * Security as the guide's table says: the token endpoints HTTP Basic, every business operation exactly the one
 * scope of the table; the tenant-id header required on every operation.
 */
export function checkSecurity(spec: Json): string[] {
  const problems: string[] = [];
  const schemes = spec.components?.securitySchemes ?? {};
  const basicNames = Object.keys(schemes).filter((n) => schemes[n].type === "http" && schemes[n].scheme === "basic");
  const oauthNames = Object.keys(schemes).filter(
    (n) => schemes[n].type === "oauth2" && schemes[n].flows?.clientCredentials,
  );
  for (const { path, op } of operations(spec)) {
    const id = op.operationId as OperationId;
    const guide = guideOperations[id];
    if (!guide) {
      problems.push(`${id} (${path}) is not an operation of the guide`);
      continue;
    }
    const security: Json[] = op.security ?? spec.security ?? [];
    if (guide.security === "basic") {
      const ok =
        security.length === 1 &&
        Object.keys(security[0]).length === 1 &&
        basicNames.includes(Object.keys(security[0])[0] ?? "");
      if (!ok) problems.push(`${id}: must require exactly HTTP Basic, has ${JSON.stringify(security)}`);
    } else {
      const [requirement] = security;
      const name = Object.keys(requirement ?? {})[0] ?? "";
      const ok =
        security.length === 1 &&
        Object.keys(requirement).length === 1 &&
        oauthNames.includes(name) &&
        JSON.stringify(requirement[name]) === JSON.stringify([guide.security.scope]);
      if (!ok)
        problems.push(
          `${id}: must require exactly OAuth2 scope ${guide.security.scope}, has ${JSON.stringify(security)}`,
        );
      const scopes = schemes[name]?.flows?.clientCredentials?.scopes ?? {};
      if (!(guide.security.scope in scopes)) problems.push(`${id}: scope ${guide.security.scope} is not declared`);
    }
    const tenant = (op.parameters ?? []).map((p: Json) => deref(spec, p)).find((p: Json) => p.name === "tenant-id");
    if (tenant?.in !== "header" || tenant.required !== true) problems.push(`${id}: tenant-id header is not required`);
  }
  return problems;
}

/** Collects every object schema reachable from `schema` (through $ref, properties, items, composition). */
function walkSchemas(
  spec: Json,
  schema: Json,
  visit: (node: Json, where: string) => void,
  where = "",
  seen = new Set<Json>(),
) {
  const node = deref(spec, schema);
  if (!node || typeof node !== "object" || seen.has(node)) return;
  seen.add(node);
  visit(node, where);
  for (const [name, child] of Object.entries<Json>(node.properties ?? {}))
    walkSchemas(spec, child, visit, `${where}.${name}`, seen);
  if (node.items) walkSchemas(spec, node.items, visit, `${where}[]`, seen);
  for (const key of ["oneOf", "anyOf", "allOf"]) {
    for (const [index, child] of (node[key] ?? []).entries())
      walkSchemas(spec, child, visit, `${where}/${key}[${index}]`, seen);
  }
}

function isObjectSchema(node: Json): boolean {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  return types.includes("object") || node.properties !== undefined;
}

/** Every object in every response schema is closed (`additionalProperties: false`). */
export function checkClosedResponses(spec: Json): string[] {
  const problems: string[] = [];
  for (const { op } of operations(spec)) {
    for (const { where, status, media } of mediaTypes(spec, op)) {
      if (status === undefined) continue;
      walkSchemas(spec, media.schema, (node, path) => {
        if (isObjectSchema(node) && node.additionalProperties !== false) {
          problems.push(`${op.operationId} ${where} ${path || "(root)"}: object schema is not closed`);
        }
      });
    }
  }
  return problems;
}

/** The success branch (`code` const 0) of an operation's 200 response. */
function successEnvelope(spec: Json, op: Json): Json | undefined {
  const schema = deref(spec, deref(spec, op.responses?.["200"] ?? {}).content?.["application/json"]?.schema ?? {});
  const branches = schema.oneOf ? schema.oneOf.map((b: Json) => deref(spec, b)) : [schema];
  return branches.find((b: Json) => deref(spec, b.properties?.code ?? {}).const === 0);
}

/** Resolves a guide field path such as "list[].goodsId" inside a data schema: [parent, field name]. */
function locateField(spec: Json, data: Json, path: string): { parent: Json; name: string } | undefined {
  const parts = path.split(".");
  let parent = deref(spec, data);
  for (const part of parts.slice(0, -1)) {
    const name = part.replace(/\[\]$/, "");
    let child = deref(spec, parent.properties?.[name] ?? {});
    if (part.endsWith("[]")) child = deref(spec, child.items ?? {});
    parent = child;
  }
  const name = parts.at(-1) ?? "";
  return parent.properties?.[name] ? { parent, name } : undefined;
}

/**
 * Every field of every request and response table of the guide is in the spec, with the guide's name,
 * `required` as the guide says (every response field is required), nullable where the guide allows null,
 * `const` where the guide fixes the value; fields the guide withholds appear in no response.
 */
export function checkGuideFields(spec: Json): string[] {
  const problems: string[] = [];
  const byId = new Map(operations(spec).map((o) => [o.op.operationId, o]));
  for (const [id, guide] of Object.entries(guideOperations)) {
    const found = byId.get(id);
    if (!found) {
      problems.push(`${id}: missing from the spec`);
      continue;
    }
    if (found.path !== guide.path || found.method !== "post") problems.push(`${id}: must be POST ${guide.path}`);
    const body = found.op.requestBody ? deref(spec, found.op.requestBody) : undefined;
    const requestSchema = deref(spec, body?.content?.[guide.requestMediaType]?.schema ?? {});
    if (!body?.content?.[guide.requestMediaType]) problems.push(`${id}: request body is not ${guide.requestMediaType}`);
    for (const [field, required] of Object.entries(guide.request)) {
      if (!requestSchema.properties?.[field]) problems.push(`${id}: request field ${field} is missing`);
      else if ((requestSchema.required ?? []).includes(field) !== required) {
        problems.push(`${id}: request field ${field} must be ${required ? "required" : "optional"}`);
      }
    }
    const envelope = successEnvelope(spec, found.op);
    if (!envelope) {
      problems.push(`${id}: 200 response has no success envelope with code const 0`);
      continue;
    }
    for (const field of ["code", "data", "msg"]) {
      if (!(envelope.required ?? []).includes(field)) problems.push(`${id}: envelope field ${field} is not required`);
    }
    const data = envelope.properties?.data ?? {};
    for (const path of guide.response) {
      const located = locateField(spec, data, path);
      if (!located) problems.push(`${id}: response field ${path} is missing`);
      else if (!(located.parent.required ?? []).includes(located.name))
        problems.push(`${id}: response field ${path} is not required`);
    }
    walkSchemas(spec, data, (node, where) => {
      for (const withheld of guideWithheld) {
        if (node.properties?.[withheld]) problems.push(`${id}: response${where} exposes withheld field ${withheld}`);
      }
    });
  }
  for (const { operationId, field, value } of guideConstants) {
    const found = byId.get(operationId);
    const data = found && successEnvelope(spec, found.op)?.properties?.data;
    const located = data && locateField(spec, data, field);
    const schema = located && deref(spec, located.parent.properties[located.name]);
    if (!schema || schema.const !== value)
      problems.push(`${operationId}: ${field} must be const ${JSON.stringify(value)}`);
  }
  for (const { operationId, field } of guideNullable) {
    const found = byId.get(operationId);
    const data = found && successEnvelope(spec, found.op)?.properties?.data;
    const located = data && locateField(spec, data, field);
    const schema = located && deref(spec, located.parent.properties[located.name]);
    const types = schema ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : [];
    if (!types.includes("null")) problems.push(`${operationId}: ${field} must be nullable`);
  }
  return problems;
}

/**
 * The envelope {code, data, msg} on every response; protocol errors carry `code` const equal to the HTTP status,
 * 429 declares a required Retry-After, business errors are listed with a stable code and message.
 */
export function checkEnvelopes(spec: Json): string[] {
  const problems: string[] = [];
  const messages = new Map<number, string>();
  for (const { op } of operations(spec)) {
    const id = op.operationId;
    for (const status of PROTOCOL_STATUSES) {
      if (!op.responses?.[status]) problems.push(`${id}: does not document ${status}`);
    }
    for (const [status, responseRef] of Object.entries<Json>(op.responses ?? {})) {
      const response = deref(spec, responseRef);
      const schema = deref(spec, response.content?.["application/json"]?.schema ?? {});
      const branches = schema.oneOf ? schema.oneOf.map((b: Json) => deref(spec, b)) : [schema];
      for (const branch of branches) {
        const required = branch.required ?? [];
        if (!["code", "data", "msg"].every((f) => required.includes(f))) {
          problems.push(`${id} ${status}: not the {code, data, msg} envelope`);
        }
      }
      if (status !== "200") {
        const code = deref(spec, schema.properties?.code ?? {});
        if (code.const !== Number(status)) problems.push(`${id} ${status}: envelope code must be const ${status}`);
      }
      if (status === "429" && deref(spec, response.headers?.["Retry-After"] ?? {}).required !== true) {
        problems.push(`${id} 429: Retry-After header must be required`);
      }
    }
    for (const error of op["x-business-errors"] ?? []) {
      const wellFormed =
        Number.isInteger(error.code) &&
        (error.code === 900 || /^10(04|08|13)\d{6}$/.test(String(error.code))) &&
        typeof error.key === "string" &&
        typeof error.message === "string" &&
        error.message.length > 0;
      if (!wellFormed) problems.push(`${id}: malformed x-business-errors entry ${JSON.stringify(error)}`);
      const known = messages.get(error.code);
      if (known !== undefined && known !== error.message) {
        problems.push(`${id}: business code ${error.code} has message "${error.message}" elsewhere "${known}"`);
      }
      messages.set(error.code, error.message);
    }
  }
  return problems;
}
