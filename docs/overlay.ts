// Applies an OpenAPI Overlay 1.0 document (the translations) to a bundled spec.
// Our own applier, not `redocly bundle --overlay`, because Redocly silently skips a target that matches nothing:
// a renamed schema would then ship untranslated without anyone noticing. Here a dead target is an error.
// test/docs/overlay.test.ts checks that this applier and Redocly's give the same result on the real overlay.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { type JsonValue, selectJsonPath } from "./jsonpath.ts";

export interface OverlayAction {
  target: string;
  description?: string;
  update?: JsonValue;
  remove?: boolean;
}

export interface Overlay {
  overlay: string;
  info: { title: string; version: string };
  extends?: string;
  actions: OverlayAction[];
}

export function loadOverlay(file: string): Overlay {
  const doc = parseYaml(readFileSync(file, "utf8")) as Overlay;
  if (typeof doc?.overlay !== "string" || !doc.overlay.startsWith("1.")) {
    throw new Error(`${file} is not an OpenAPI Overlay 1.x document: it needs "overlay: 1.0.0" at the top`);
  }
  if (!Array.isArray(doc.actions)) throw new Error(`${file} has no "actions" list`);
  return doc;
}

function isObject(value: unknown): value is Record<string, JsonValue> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Recursive merge as the Overlay spec describes for `update`: objects merge, scalars replace. */
function merge(target: Record<string, JsonValue>, update: Record<string, JsonValue>, where: string): void {
  for (const [key, value] of Object.entries(update)) {
    const current = target[key];
    if (isObject(value) && isObject(current)) merge(current, value, `${where}.${key}`);
    else if (Array.isArray(value)) {
      throw new Error(`${where}.${key}: arrays in "update" are ambiguous; target the array element instead`);
    } else target[key] = structuredClone(value);
  }
}

/** Returns a copy of `spec` with every action applied, in order. Throws on a target that matches nothing. */
export function applyOverlay<T extends JsonValue>(spec: T, overlay: Overlay): T {
  const result = structuredClone(spec);
  overlay.actions.forEach((action, index) => {
    const label = `overlay action #${index + 1} (target ${action.target})`;
    if (action.remove) throw new Error(`${label}: "remove" is not used by translations; use "update"`);
    if (!isObject(action.update)) throw new Error(`${label}: "update" must be an object of fields to translate`);
    const matches = selectJsonPath(result, action.target);
    if (matches.length === 0) {
      throw new Error(`${label} matches nothing in the spec: the spec changed; fix or delete the action`);
    }
    for (const match of matches) {
      if (!isObject(match)) throw new Error(`${label} selects a ${typeof match}, not an object`);
      merge(match, action.update, action.target);
    }
  });
  return result;
}
