// Rates every change between two bundled specs: `redocly diff` with the kit's config, re-rated and completed by
// the kit's rules, plus a patch entry for any difference neither reported (examples, say), so that nothing
// changes unseen. This is the one place that decides the bump; `npm run diff` and `npm run release` use it.
import { readFileSync } from "node:fs";
import { type Impact, maxImpact, parseVersion, type RatedChange, rank, type Version } from "./impact.ts";
import { kitChanges, rerate, specPair } from "./kit-rules.ts";
import { definitionPointers, runRedoclyDiff, toRatedChange } from "./redocly-diff.ts";
import { differingPointers, type Json, pointerSegments } from "./spec-walk.ts";
import { describeLocation, locate } from "./where.ts";

export interface Rating {
  changes: RatedChange[];
  bump: Impact | undefined;
  baseVersion: string;
  revisionVersion: string;
}

/** Keys that are not part of the contract: the build's do-not-edit notice. */
const IGNORED_ROOT_KEYS = new Set(["x-generated"]);

const covers = (reported: string, leaf: string): boolean =>
  leaf === reported || leaf.startsWith(`${reported}/`) || reported.startsWith(`${leaf}/`);

/** Differences no rule reported, one entry per owning node (an example, a tag, a component...). */
function unreported(base: Json, revision: Json, reported: string[]): RatedChange[] {
  const owners = new Map<string, string[]>();
  for (const leaf of differingPointers(base, revision)) {
    const segments = pointerSegments(leaf);
    if (IGNORED_ROOT_KEYS.has(segments[0] ?? "")) continue;
    if (reported.some((p) => covers(p, leaf))) continue;
    const depth = segments[0] === "components" ? 3 : segments[0] === "paths" ? 3 : 2;
    const owner = `#${segments
      .slice(0, depth)
      .map((s) => `/${s.replace(/~/g, "~0").replace(/\//g, "~1")}`)
      .join("")}`;
    owners.set(owner, [...(owners.get(owner) ?? []), leaf]);
  }
  return [...owners].map(([owner, leaves]) => {
    const location = locate(owner, [revision, base]);
    return {
      impact: "patch",
      rule: "kit/unrated-change",
      kind: "modified",
      operationId: location.operationId,
      where: describeLocation(location),
      pointer: owner,
      message: `${leaves.length} value(s) changed that no diff rule rates (documentation or examples)`,
    };
  });
}

export async function rateSpecs(base: Json, revision: Json, baseFile: string, revisionFile: string): Promise<Rating> {
  const pair = specPair(base, revision);
  const report = await runRedoclyDiff(baseFile, revisionFile);
  const changes: RatedChange[] = [];
  const reported: string[] = [];
  for (const raw of report.changes) {
    changes.push(rerate(raw, toRatedChange(raw, [revision, base]), pair));
    reported.push(...definitionPointers(raw));
  }
  const own = kitChanges(pair);
  changes.push(...own);
  reported.push(...own.map((c) => c.pointer));
  changes.push(...unreported(base, revision, reported));
  changes.sort((a, b) => rank(b.impact) - rank(a.impact) || a.where.localeCompare(b.where));
  return {
    changes,
    bump: maxImpact(changes.filter((c) => c.pointer !== "#/info" || c.property !== "version").map((c) => c.impact)),
    baseVersion: String(base.info?.version ?? ""),
    revisionVersion: String(revision.info?.version ?? ""),
  };
}

export function rateSpecFiles(baseFile: string, revisionFile: string): Promise<Rating> {
  const read = (file: string) => JSON.parse(readFileSync(file, "utf8"));
  return rateSpecs(read(baseFile), read(revisionFile), baseFile, revisionFile);
}

export type Verdict =
  | { ok: true; note: string }
  | { ok: false; problem: string; fix: string; base: Version | undefined; revision: Version | undefined };

/** The gate: a major change needs info.version's major bumped (from the base's version). */
export function verdict(rating: Rating): Verdict {
  const base = parseVersion(rating.baseVersion);
  const revision = parseVersion(rating.revisionVersion);
  if (rating.bump !== "major") {
    return { ok: true, note: rating.bump ? `the changes need a ${rating.bump} release at most` : "no changes" };
  }
  if (base && revision && revision.major > base.major) {
    return {
      ok: true,
      note: `breaking changes, and info.version's major was bumped (${base.major} -> ${revision.major})`,
    };
  }
  const major = rating.changes.filter((c) => c.impact === "major").length;
  return {
    ok: false,
    problem: `${major} breaking change(s) while info.version stays on major ${revision?.major ?? rating.revisionVersion}`,
    fix: base
      ? `undo them, or release them as a new major: set info.version to ${base.major + 1}.0.0 in openapi/openapi.yaml`
      : "undo them, or bump info.version's major in openapi/openapi.yaml",
    base,
    revision,
  };
}
