// The kit's own breaking-change rules, where `redocly diff` (experimental) rates a change differently from the
// policy in openapi/README.md ("Breaking changes") or does not see it at all. Each rule has a case in
// test/governance/spec-changes.ts.
import type { RatedChange } from "./impact.ts";
import { comparePatterns, type Evidence, mayHold } from "./pattern-compare.ts";
import type { RedoclyChange } from "./redocly-diff.ts";
import {
  type Direction,
  encodeSegment,
  type Json,
  operationsOf,
  pointerOf,
  pointerSegments,
  schemaDirections,
  valueAt,
} from "./spec-walk.ts";
import { describeLocation, locate } from "./where.ts";

export interface SpecPair {
  base: Json;
  revision: Json;
  baseDirections: Map<string, Set<Direction>>;
  revisionDirections: Map<string, Set<Direction>>;
}

export function specPair(base: Json, revision: Json): SpecPair {
  return { base, revision, baseDirections: schemaDirections(base), revisionDirections: schemaDirections(revision) };
}

const evidenceText = (e: Evidence): string => (e.found ? `e.g. ${JSON.stringify(e.witness)}` : "");

/** Directions the schema holding `pointer` (…/pattern) travels in, in either spec. */
function directionsOf(pair: SpecPair, change: RedoclyChange): Set<Direction> {
  const out = new Set<Direction>();
  const add = (map: Map<string, Set<Direction>>, pointer: string | undefined) => {
    if (!pointer) return;
    const schema = pointerOf(pointerSegments(pointer).slice(0, -1));
    for (const d of map.get(schema) ?? []) out.add(d);
  };
  add(pair.baseDirections, change.base?.pointer);
  add(pair.revisionDirections, change.revision?.pointer);
  // A pointer the walk did not reach (an unused component): judge it by where Redocly met it.
  if (out.size === 0) out.add(change.path.includes("/responses/") ? "response" : "request");
  return out;
}

/**
 * kit/pattern-*: a changed `pattern` is rated by direction. Tighter breaks requests (a partner's valid input is
 * refused), looser breaks responses (a partner's parser meets strings it never saw); a rewrite that accepts the
 * same strings is a patch. Redocly rates every pattern edit major.
 */
function reratePattern(change: RedoclyChange, rated: RatedChange, pair: SpecPair): RatedChange {
  const before = change.base?.value as string | undefined;
  const after = change.revision?.value as string | undefined;
  const holder = (spec: Json, pointer: string | undefined) =>
    pointer === undefined ? undefined : valueAt(spec, pointer.replace(/\/pattern$/, ""));
  const { tightened, loosened } = comparePatterns(before, after, {
    before: holder(pair.base, change.base?.pointer),
    after: holder(pair.revision, change.revision?.pointer),
  });
  const directions = directionsOf(pair, change);
  const used = [...directions].join(" and ");
  if (directions.has("request") && mayHold(tightened)) {
    return {
      ...rated,
      impact: "major",
      rule: "kit/pattern-tightened",
      message: `\`pattern\` now refuses request values it accepted ${evidenceText(tightened) || "(could not rule it out)"}`,
    };
  }
  if (directions.has("response") && mayHold(loosened)) {
    return {
      ...rated,
      impact: "major",
      rule: "kit/pattern-loosened",
      message: `\`pattern\` now allows response values it excluded ${evidenceText(loosened) || "(could not rule it out)"}`,
    };
  }
  if (directions.has("request") && loosened.found) {
    return {
      ...rated,
      impact: "minor",
      rule: "kit/pattern-loosened",
      message: `\`pattern\` accepts more request values (${evidenceText(loosened)}); used in ${used}`,
    };
  }
  const narrowerAnswer = directions.has("response") && tightened.found;
  return {
    ...rated,
    impact: "patch",
    rule: narrowerAnswer ? "kit/pattern-tightened" : "kit/pattern-rewritten",
    message: narrowerAnswer
      ? `\`pattern\` promises narrower response values (${evidenceText(tightened)}); used in ${used}`
      : `\`pattern\` rewritten; no value found that one accepts and the other refuses (used in ${used})`,
  };
}

const RESPONSE_STATUS = /^#\/paths\/[^/]+\/[a-z]+\/responses\/[^/]+$/;

/** Re-rates a Redocly change where the kit's policy differs; returns it unchanged otherwise. */
export function rerate(change: RedoclyChange, rated: RatedChange, pair: SpecPair): RatedChange {
  if (change.property === "pattern" && change.kind === "modified") return reratePattern(change, rated, pair);
  if (change.kind === "added" && RESPONSE_STATUS.test(change.path)) {
    const status = pointerSegments(change.path)[4];
    return {
      ...rated,
      impact: "major",
      rule: "kit/response-status-added",
      message: `the operation may now answer HTTP ${status}, a status a partner's integration has never handled`,
      facts: { status: status ?? "" },
    };
  }
  return rated;
}

function change(
  pair: SpecPair,
  pointer: string,
  fields: Pick<RatedChange, "impact" | "rule" | "kind" | "message" | "facts">,
): RatedChange {
  const location = locate(pointer, [pair.revision, pair.base]);
  return { ...fields, operationId: location.operationId, where: describeLocation(location), pointer };
}

interface BusinessError {
  code: number;
  key?: string;
  message?: string;
  description?: string;
}

/**
 * kit/business-error-*: `x-business-errors` is the operation's closed list of business codes answered with
 * HTTP 200. Redocly ignores vendor extensions, so none of this is seen by `redocly diff`.
 */
function businessErrorChanges(pair: SpecPair): RatedChange[] {
  const out: RatedChange[] = [];
  const revisionOps = new Map(operationsOf(pair.revision).map((o) => [`${o.method} ${o.path}`, o]));
  for (const before of operationsOf(pair.base)) {
    const after = revisionOps.get(`${before.method} ${before.path}`);
    if (!after) continue; // a removed operation is rated by redocly (path-removed / operation-removed)
    const at = `#/paths/${encodeSegment(before.path)}/${before.method}/x-business-errors`;
    const oldList: BusinessError[] = before.operation["x-business-errors"] ?? [];
    const newList: BusinessError[] = after.operation["x-business-errors"] ?? [];
    const newByCode = new Map(newList.map((e, i) => [e.code, { e, i }]));
    const oldByCode = new Map(oldList.map((e) => [e.code, e]));
    const renumbered = new Set<number>();
    oldList.forEach((old, i) => {
      const kept = newByCode.get(old.code);
      if (kept) {
        for (const field of ["key", "message", "description"] as const) {
          if (kept.e[field] !== old[field]) {
            out.push(
              change(pair, `${at}/${kept.i}/${field}`, {
                impact: "patch",
                rule: "kit/business-error-text-changed",
                kind: "modified",
                message: `business error ${old.code}: \`${field}\` changed (partners match on \`code\`, never on text)`,
                facts: { code: old.code, field },
              }),
            );
          }
        }
        return;
      }
      const moved = newList.findIndex((e) => e.key !== undefined && e.key === old.key && !oldByCode.has(e.code));
      if (moved >= 0) {
        const now = newList[moved] as BusinessError;
        renumbered.add(now.code);
        out.push(
          change(pair, `${at}/${moved}/code`, {
            impact: "major",
            rule: "kit/business-error-code-changed",
            kind: "modified",
            message: `business error ${old.key} changed its code from ${old.code} to ${now.code}: partners switch on the code`,
            facts: { key: old.key ?? "", code: old.code, newCode: now.code },
          }),
        );
        return;
      }
      out.push(
        change(pair, `${at}/${i}`, {
          impact: "patch",
          rule: "kit/business-error-removed",
          kind: "removed",
          message: `business error ${old.code} (${old.key ?? "no key"}) is no longer answered`,
          facts: { code: old.code },
        }),
      );
    });
    newList.forEach((added, i) => {
      if (oldByCode.has(added.code) || renumbered.has(added.code)) return;
      out.push(
        change(pair, `${at}/${i}`, {
          impact: "major",
          rule: "kit/business-error-added",
          kind: "added",
          message: `new business error ${added.code} (${added.key ?? "no key"}): a code a partner's handling does not know`,
          facts: { code: added.code },
        }),
      );
    });
  }
  return out;
}

/**
 * kit/scope-*: the scopes an OAuth2 scheme offers. A partner's token request naming a removed scope is refused
 * (HTTP 400), so a removal breaks; a new scope adds a capability. Redocly compares only operations' requirements.
 */
function scopeChanges(pair: SpecPair): RatedChange[] {
  const out: RatedChange[] = [];
  for (const [name, scheme] of Object.entries<Json>(pair.base.components?.securitySchemes ?? {})) {
    const after = pair.revision.components?.securitySchemes?.[name];
    if (!after || scheme?.type !== "oauth2") continue;
    for (const [flowName, flow] of Object.entries<Json>(scheme.flows ?? {})) {
      const at = `#/components/securitySchemes/${encodeSegment(name)}/flows/${encodeSegment(flowName)}/scopes`;
      const oldScopes = Object.keys(flow?.scopes ?? {});
      const newScopes = Object.keys(after.flows?.[flowName]?.scopes ?? {});
      for (const scope of oldScopes.filter((s) => !newScopes.includes(s))) {
        out.push(
          change(pair, `${at}/${encodeSegment(scope)}`, {
            impact: "major",
            rule: "kit/scope-removed",
            kind: "removed",
            message: `scope ${scope} is no longer offered: a token request naming it is refused`,
            facts: { scope },
          }),
        );
      }
      for (const scope of newScopes.filter((s) => !oldScopes.includes(s))) {
        out.push(
          change(pair, `${at}/${encodeSegment(scope)}`, {
            impact: "minor",
            rule: "kit/scope-added",
            kind: "added",
            message: `new scope ${scope}`,
            facts: { scope },
          }),
        );
      }
    }
  }
  return out;
}

export function kitChanges(pair: SpecPair): RatedChange[] {
  return [...businessErrorChanges(pair), ...scopeChanges(pair)];
}
