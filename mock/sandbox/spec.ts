// Reads the bundled spec (generated/openapi.json) into the operation table the server is built from: one entry per
// operation with its path, media type, security scheme and scope, and JSON pointers to its schemas.
import { readFileSync } from "node:fs";
import type { operations } from "../../generated/schema.js";
import { bundledSpecPath } from "./paths.ts";

export type OperationId = keyof operations;

export interface SpecDocument {
  paths: Record<string, Record<string, SpecOperation>>;
  components: { examples?: Record<string, { value: unknown }> } & Record<string, unknown>;
}

interface SpecOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, { $ref?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

export interface OperationEntry {
  operationId: OperationId;
  method: "POST" | "GET" | "PUT" | "PATCH" | "DELETE";
  path: string;
  /** The one request media type the operation accepts. */
  mediaType: "application/json" | "application/x-www-form-urlencoded";
  /** clientBasic: the token endpoints. bearer: every business endpoint. */
  auth: "clientBasic" | "bearer";
  /** The scope a bearer token must carry, or null for the token endpoints. */
  scope: string | null;
  /** JSON pointer (inside the spec) of the request body schema. */
  requestSchemaPointer: string;
  /** Documented statuses and the JSON pointer of each response body schema. */
  responses: Map<number, string>;
  /** Statuses whose response documents a required header, by lower-case header name. */
  requiredHeaders: Map<number, string[]>;
}

const escapePointer = (segment: string) => segment.replaceAll("~", "~0").replaceAll("/", "~1");

export function loadSpec(path = bundledSpecPath): SpecDocument {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as SpecDocument;
  } catch (error) {
    throw new Error(`cannot read the bundled spec ${path} (${(error as Error).message}): run \`npm run build\` first`);
  }
}

function resolveLocal(spec: SpecDocument, ref: string): unknown {
  let node: unknown = spec;
  for (const raw of ref.replace(/^#\//, "").split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every operation of the spec, static paths first (the spec has no parameterised paths today). */
export function operationTable(spec: SpecDocument): OperationEntry[] {
  const entries: OperationEntry[] = [];
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (!operation.operationId) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const media = Object.keys(operation.requestBody?.content ?? {});
      const mediaType = media[0];
      if (
        media.length !== 1 ||
        (mediaType !== "application/json" && mediaType !== "application/x-www-form-urlencoded")
      ) {
        throw new Error(`${operation.operationId}: the sandbox expects exactly one JSON or form request body`);
      }
      const security = operation.security ?? [];
      const scheme = Object.keys(security[0] ?? {})[0];
      const auth = scheme === "clientBasic" ? "clientBasic" : "bearer";
      const scope = auth === "bearer" ? (security[0]?.[scheme ?? ""]?.[0] ?? null) : null;
      if (auth === "bearer" && scope === null) throw new Error(`${operation.operationId} names no scope`);
      const base = `#/paths/${escapePointer(path)}/${method}`;
      const responses = new Map<number, string>();
      const requiredHeaders = new Map<number, string[]>();
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        let pointer = `${base}/responses/${status}`;
        let resolved = response;
        if (response.$ref) {
          pointer = response.$ref;
          resolved = resolveLocal(spec, response.$ref) as typeof response;
        }
        responses.set(Number(status), `${pointer}/content/application~1json/schema`);
        const headers = Object.entries(resolved.headers ?? {})
          .filter(([, header]) => {
            const h = header as { $ref?: string; required?: boolean };
            return ((h.$ref ? resolveLocal(spec, h.$ref) : h) as { required?: boolean }).required === true;
          })
          .map(([name]) => name.toLowerCase());
        if (headers.length > 0) requiredHeaders.set(Number(status), headers);
      }
      entries.push({
        operationId: operation.operationId as OperationId,
        method: method.toUpperCase() as OperationEntry["method"],
        path,
        mediaType,
        auth,
        scope,
        requestSchemaPointer: `${base}/requestBody/content/${escapePointer(mediaType)}/schema`,
        responses,
        requiredHeaders,
      });
    }
  }
  return entries.sort((a, b) => Number(a.path.includes("{")) - Number(b.path.includes("{")));
}

/** The value of a named example (components/examples), for the demo answers. */
export function exampleValue(spec: SpecDocument, name: string): unknown {
  const example = spec.components.examples?.[name];
  if (!example) throw new Error(`the spec has no example named ${name}`);
  // A JSON round trip, not structuredClone: it yields plain fast-mode objects, which serialise faster on every
  // response that carries them.
  return JSON.parse(JSON.stringify(example.value));
}
