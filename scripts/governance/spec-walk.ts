// Walks a bundled spec: JSON pointers, $ref resolution, and which schemas travel in requests and which in
// responses (a change can break one direction only: a tighter pattern breaks requests, a looser one responses).
// biome-ignore lint/suspicious/noExplicitAny: a bundled spec is walked generically
export type Json = any;

export type Direction = "request" | "response";
export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export const decodeSegment = (s: string): string => s.replace(/~1/g, "/").replace(/~0/g, "~");
export const encodeSegment = (s: string): string => s.replace(/~/g, "~0").replace(/\//g, "~1");

/** `#/a/b~1c` -> ["a", "b/c"] */
export function pointerSegments(pointer: string): string[] {
  const body = pointer.replace(/^#/, "");
  return body === "" || body === "/" ? [] : body.slice(1).split("/").map(decodeSegment);
}

export function pointerOf(segments: string[]): string {
  return `#${segments.map((s) => `/${encodeSegment(s)}`).join("")}`;
}

export function valueAt(doc: Json, pointer: string): Json {
  let node = doc;
  for (const segment of pointerSegments(pointer)) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[segment];
  }
  return node;
}

export interface OperationRef {
  path: string;
  method: string;
  operation: Json;
}

export function operationsOf(spec: Json): OperationRef[] {
  const out: OperationRef[] = [];
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    for (const method of HTTP_METHODS) if (item?.[method]) out.push({ path, method, operation: item[method] });
  }
  return out;
}

/** Every schema (by the pointer of its definition, after $ref) that a request or a response can carry. */
export function schemaDirections(spec: Json): Map<string, Set<Direction>> {
  const seen = new Map<string, Set<Direction>>();
  const mark = (pointer: string, direction: Direction): boolean => {
    const set = seen.get(pointer) ?? new Set<Direction>();
    if (set.has(direction)) return false;
    set.add(direction);
    seen.set(pointer, set);
    return true;
  };
  const follow = (node: Json, pointer: string): [Json, string] => {
    let current = node;
    let at = pointer;
    for (let hops = 0; current && typeof current.$ref === "string" && hops < 32; hops++) {
      at = current.$ref;
      current = valueAt(spec, at);
    }
    return [current, at];
  };
  const visitSchema = (node: Json, pointer: string, direction: Direction): void => {
    const [schema, at] = follow(node, pointer);
    if (schema === null || typeof schema !== "object" || !mark(at, direction)) return;
    for (const key of ["items", "not", "additionalProperties", "contains", "if", "then", "else"]) {
      if (schema[key] && typeof schema[key] === "object") visitSchema(schema[key], `${at}/${key}`, direction);
    }
    for (const key of ["properties", "patternProperties"]) {
      for (const [name, sub] of Object.entries<Json>(schema[key] ?? {})) {
        visitSchema(sub, `${at}/${key}/${encodeSegment(name)}`, direction);
      }
    }
    for (const key of ["oneOf", "anyOf", "allOf", "prefixItems"]) {
      (schema[key] ?? []).forEach((sub: Json, i: number) => {
        visitSchema(sub, `${at}/${key}/${i}`, direction);
      });
    }
  };
  const visitContent = (content: Json, pointer: string, direction: Direction): void => {
    for (const [mediaType, media] of Object.entries<Json>(content ?? {})) {
      if (media?.schema) visitSchema(media.schema, `${pointer}/content/${encodeSegment(mediaType)}/schema`, direction);
    }
  };
  const visitParameters = (parameters: Json[] | undefined, pointer: string): void => {
    (parameters ?? []).forEach((raw, i) => {
      const [parameter, at] = follow(raw, `${pointer}/parameters/${i}`);
      if (parameter?.schema) visitSchema(parameter.schema, `${at}/schema`, "request");
      if (parameter?.content) visitContent(parameter.content, at, "request");
    });
  };
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    const itemPointer = `#/paths/${encodeSegment(path)}`;
    visitParameters(item?.parameters, itemPointer);
    for (const method of HTTP_METHODS) {
      const operation = item?.[method];
      if (!operation) continue;
      const at = `${itemPointer}/${method}`;
      visitParameters(operation.parameters, at);
      if (operation.requestBody) {
        const [body, bodyAt] = follow(operation.requestBody, `${at}/requestBody`);
        visitContent(body?.content, bodyAt, "request");
      }
      for (const [status, raw] of Object.entries<Json>(operation.responses ?? {})) {
        const [response, responseAt] = follow(raw, `${at}/responses/${encodeSegment(status)}`);
        visitContent(response?.content, responseAt, "response");
        for (const [name, rawHeader] of Object.entries<Json>(response?.headers ?? {})) {
          const [header, headerAt] = follow(rawHeader, `${responseAt}/headers/${encodeSegment(name)}`);
          if (header?.schema) visitSchema(header.schema, `${headerAt}/schema`, "response");
        }
      }
    }
  }
  return seen;
}

/** Deep differences between two JSON values, as the pointers of the smallest differing nodes. */
export function differingPointers(a: Json, b: Json, at = "#"): string[] {
  if (a === b) return [];
  const bothObjects = a !== null && b !== null && typeof a === "object" && typeof b === "object";
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return [at];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  const out: string[] = [];
  for (const key of keys) out.push(...differingPointers(a[key], b[key], `${at}/${encodeSegment(key)}`));
  return out;
}
