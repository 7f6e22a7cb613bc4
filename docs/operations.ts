// Reads the operations of a bundled spec into the plain facts the docs build needs (samples, Postman, tables).
import type { JsonValue } from "./jsonpath.ts";

export type JsonObject = { [key: string]: JsonValue };

export interface BusinessError {
  code: number;
  key: string;
  message: string;
  description: string;
}

export interface OperationFacts {
  path: string;
  method: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  /** The client-credentials endpoints authenticate with HTTP Basic; business endpoints with a Bearer token. */
  auth: "basic" | "bearer";
  /** The one scope a business operation requires (null for the token endpoints). */
  scope: string | null;
  contentType: "application/json" | "application/x-www-form-urlencoded";
  /** The first request example of the spec: the samples and the Postman requests are built from it. */
  requestExample: JsonObject;
  businessErrors: BusinessError[];
  /** The operation object itself, for the build to decorate. */
  node: JsonObject;
}

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

function asObject(value: JsonValue | undefined, where: string): JsonObject {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error(`${where} is not an object`);
  return value;
}

/** Follows a local `#/components/...` reference of the bundle. */
export function resolveRef(spec: JsonObject, value: JsonValue | undefined, where: string): JsonObject {
  const node = asObject(value, where);
  const ref = node.$ref;
  if (typeof ref !== "string") return node;
  let target: JsonValue | undefined = spec;
  for (const part of ref.replace(/^#\//, "").split("/")) {
    target = asObject(target, `${where} -> ${ref}`)[part.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return asObject(target, `${where} -> ${ref}`);
}

export function listOperations(spec: JsonObject): OperationFacts[] {
  const operations: OperationFacts[] = [];
  for (const [path, item] of Object.entries(asObject(spec.paths, "paths"))) {
    for (const [method, value] of Object.entries(asObject(item, path))) {
      if (!HTTP_METHODS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const node = asObject(value, where);
      const body = asObject(asObject(node.requestBody, `${where} requestBody`).content, `${where} content`);
      const [contentType, media] = Object.entries(body)[0] ?? [];
      if (contentType !== "application/json" && contentType !== "application/x-www-form-urlencoded") {
        throw new Error(`${where}: request content type ${contentType} is not handled by the docs build`);
      }
      const examples = asObject(asObject(media, `${where} media`).examples, `${where}: request examples`);
      const [firstExample] = Object.values(examples);
      const example = resolveRef(spec, firstExample, `${where} request example`);
      const security = (node.security ?? spec.security) as JsonObject[] | undefined;
      const requirement = security?.[0] ?? {};
      const [scheme, scopes] = Object.entries(requirement)[0] ?? [];
      operations.push({
        path,
        method,
        operationId: String(node.operationId),
        summary: String(node.summary ?? ""),
        description: String(node.description ?? ""),
        tag: String((node.tags as string[] | undefined)?.[0] ?? ""),
        auth: scheme === "clientBasic" ? "basic" : "bearer",
        scope: Array.isArray(scopes) && typeof scopes[0] === "string" ? scopes[0] : null,
        contentType,
        requestExample: asObject(example.value, `${where} request example value`),
        businessErrors: (node["x-business-errors"] ?? []) as unknown as BusinessError[],
        node,
      });
    }
  }
  return operations;
}
