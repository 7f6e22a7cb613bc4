// The subset of JSONPath (RFC 9535) that overlay targets use: $, .name, ['name'], [n], [*], .*, and the filter
// [?(@.field == literal)] (or [?@.field == literal]). Anything else is rejected with the position, so a typo in
// an overlay target fails loudly instead of matching nothing.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

type Segment =
  | { kind: "name"; name: string }
  | { kind: "index"; index: number }
  | { kind: "wildcard" }
  | { kind: "filter"; field: string; value: string | number | boolean };

const DOT_NAME = /^\.([A-Za-z_$][A-Za-z0-9_$-]*)/;
const BRACKET_NAME = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/;
const INDEX = /^\[\s*(-?\d+)\s*\]/;
const WILDCARD = /^(?:\.\*|\[\s*\*\s*\])/;
const FILTER =
  /^\[\s*\?\s*\(?\s*@\.([A-Za-z_$][A-Za-z0-9_$-]*)\s*==\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|(-?\d+(?:\.\d+)?)|(true|false))\s*\)?\s*\]/;

const unquote = (text: string): string => text.replace(/\\(.)/g, "$1");

/** One segment at the start of `rest`, with the length of text it consumed, or null when none matches. */
function readSegment(rest: string): { segment: Segment; length: number } | null {
  const wildcard = WILDCARD.exec(rest);
  if (wildcard) return { segment: { kind: "wildcard" }, length: wildcard[0].length };
  const dot = DOT_NAME.exec(rest);
  if (dot) return { segment: { kind: "name", name: dot[1] as string }, length: dot[0].length };
  const bracket = BRACKET_NAME.exec(rest);
  if (bracket) {
    return { segment: { kind: "name", name: unquote(bracket[1] ?? bracket[2] ?? "") }, length: bracket[0].length };
  }
  const index = INDEX.exec(rest);
  if (index) return { segment: { kind: "index", index: Number(index[1]) }, length: index[0].length };
  const filter = FILTER.exec(rest);
  if (filter) {
    const text = filter[2] ?? filter[3];
    const value =
      text !== undefined ? unquote(text) : filter[4] !== undefined ? Number(filter[4]) : filter[5] === "true";
    return { segment: { kind: "filter", field: filter[1] as string, value }, length: filter[0].length };
  }
  return null;
}

export function parseJsonPath(path: string): Segment[] {
  if (!path.startsWith("$")) throw new Error(`JSONPath "${path}" must start with $`);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const read = readSegment(rest);
    if (read === null) {
      throw new Error(`JSONPath "${path}": cannot read "${rest}" (supported: .name ['name'] [n] [*] [?(@.f == v)])`);
    }
    segments.push(read.segment);
    rest = rest.slice(read.length);
  }
  return segments;
}

function children(node: JsonValue): JsonValue[] {
  if (Array.isArray(node)) return node;
  if (node !== null && typeof node === "object") return Object.values(node);
  return [];
}

/** Every node `path` selects in `root`, as live references (mutating them mutates `root`). */
export function selectJsonPath(root: JsonValue, path: string): JsonValue[] {
  let nodes: JsonValue[] = [root];
  for (const segment of parseJsonPath(path)) {
    const next: JsonValue[] = [];
    for (const node of nodes) {
      if (segment.kind === "wildcard") next.push(...children(node));
      else if (segment.kind === "name") {
        if (node !== null && typeof node === "object" && !Array.isArray(node) && segment.name in node) {
          next.push(node[segment.name] as JsonValue);
        }
      } else if (segment.kind === "index") {
        if (Array.isArray(node)) {
          const item = node.at(segment.index);
          if (item !== undefined) next.push(item);
        }
      } else {
        for (const child of children(node)) {
          if (child !== null && typeof child === "object" && !Array.isArray(child)) {
            if (child[segment.field] === segment.value) next.push(child);
          }
        }
      }
    }
    nodes = next;
  }
  return nodes;
}
