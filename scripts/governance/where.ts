// Turns a JSON pointer into the bundled spec into the words a partner uses: operation, request or response, field.
import { HTTP_METHODS, type Json, pointerSegments, valueAt } from "./spec-walk.ts";

export interface Location {
  operationId?: string;
  /** "POST /open-api/goods/detail" */
  endpoint?: string;
  /** "request body", "response 200", "parameter tenant-id", "security", "" */
  part: string;
  /** "data.postFee", "", "x-business-errors" */
  field: string;
}

const COMBINATORS = new Set(["oneOf", "anyOf", "allOf"]);

/** The field path inside a schema: properties/a/properties/b -> a.b, items -> [], combinators skipped. */
function fieldPath(segments: string[]): string {
  const names: string[] = [];
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as string;
    if ((segment === "properties" || segment === "patternProperties") && i + 1 < segments.length) {
      names.push(segments[++i] as string);
    } else if (segment === "items") {
      names.push("[]");
    } else if (COMBINATORS.has(segment)) {
      i++; // skip the index
    }
  }
  return names.join(".").replace(/\.\[\]/g, "[]");
}

export function locate(pointer: string, specs: Json[]): Location {
  const segments = pointerSegments(pointer);
  if (segments[0] === "paths" && segments.length >= 2) {
    const path = segments[1] as string;
    const method = segments[2];
    if (!method || !(HTTP_METHODS as readonly string[]).includes(method)) {
      return { endpoint: path, part: "", field: "" };
    }
    const operation = specs.map((s) => s?.paths?.[path]?.[method]).find(Boolean);
    const endpoint = `${method.toUpperCase()} ${path}`;
    const rest = segments.slice(3);
    const base = { operationId: operation?.operationId, endpoint };
    const head = rest[0];
    if (head === "requestBody") {
      const schemaAt = rest.indexOf("schema");
      return { ...base, part: "request body", field: schemaAt < 0 ? "" : fieldPath(rest.slice(schemaAt + 1)) };
    }
    if (head === "responses" && rest[1]) {
      const headers = rest.indexOf("headers");
      if (headers >= 0) return { ...base, part: `response ${rest[1]}`, field: `header ${rest[headers + 1] ?? ""}` };
      const schemaAt = rest.indexOf("schema");
      return { ...base, part: `response ${rest[1]}`, field: schemaAt < 0 ? "" : fieldPath(rest.slice(schemaAt + 1)) };
    }
    if (head === "parameters" && rest[1] !== undefined) {
      const parameter = specs
        .map((s) => {
          const raw = s?.paths?.[path]?.[method]?.parameters?.[Number(rest[1])];
          return raw?.$ref ? valueAt(s, raw.$ref) : raw;
        })
        .find(Boolean);
      return { ...base, part: `parameter ${parameter?.name ?? rest[1]}`, field: fieldPath(rest.slice(2)) };
    }
    return { ...base, part: head ?? "", field: rest.slice(1).join(".") };
  }
  if (segments[0] === "components" && segments.length >= 3) {
    return {
      part: `${segments[1]} ${segments[2]}`,
      field: fieldPath(segments.slice(3)) || segments.slice(3).join("."),
    };
  }
  return { part: segments.join("."), field: "" };
}

export function describeLocation(location: Location): string {
  const who = location.operationId ?? location.endpoint ?? "";
  return [who, location.part, location.field].filter((s) => s !== "").join(" ");
}
