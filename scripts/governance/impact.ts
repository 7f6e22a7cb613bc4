// What a change is rated, and the semver bump a set of changes needs.
export type Impact = "major" | "minor" | "patch";
export const IMPACTS: readonly Impact[] = ["patch", "minor", "major"];

export interface RatedChange {
  impact: Impact;
  /** A `redocly diff` rule id, a kit rule id (kit/...), or `redocly/<kind>` for a change Redocly did not flag. */
  rule: string;
  kind: "added" | "removed" | "modified";
  /** The operation it concerns, if any. */
  operationId?: string;
  /** Human location: "getGoodsDetail response 200 body: data.postFee". */
  where: string;
  /** The JSON pointer (in the revision, or in the base for a removal) of what changed. */
  pointer: string;
  /** What changed and, when it is rated by the kit's policy, why. */
  message: string;
  /** The property of `pointer` that changed (description, enum, pattern...), when one did. */
  property?: string;
  /** Facts a kit rule found (business code, scope, status), for the release notes in both languages. */
  facts?: Record<string, string | number>;
  /** The field path inside a request or response body (data.postFee), when the change is in one. */
  field?: string;
  /** "request body", "response 200", "parameter tenant-id", ... */
  part?: string;
}

export const rank = (impact: Impact): number => IMPACTS.indexOf(impact);
export const maxImpact = (impacts: Impact[]): Impact | undefined =>
  impacts.reduce<Impact | undefined>(
    (worst, i) => (worst === undefined || rank(i) > rank(worst) ? i : worst),
    undefined,
  );

export interface Version {
  major: number;
  minor: number;
  patch: number;
}

export function parseVersion(text: string): Version | undefined {
  const match = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(String(text).trim());
  if (!match) return undefined;
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

export const formatVersion = (v: Version): string => `${v.major}.${v.minor}.${v.patch}`;

export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** The smallest version after `base` that a bump of `impact` needs. */
export function nextVersion(base: Version, impact: Impact | undefined): Version {
  if (impact === "major") return { major: base.major + 1, minor: 0, patch: 0 };
  if (impact === "minor") return { major: base.major, minor: base.minor + 1, patch: 0 };
  return { major: base.major, minor: base.minor, patch: base.patch + 1 };
}

/** The bump from `base` to `revision`: which semver part went up. */
export function bumpBetween(base: Version, revision: Version): Impact | "none" | "lower" {
  const order = compareVersions(revision, base);
  if (order < 0) return "lower";
  if (order === 0) return "none";
  if (revision.major > base.major) return "major";
  if (revision.minor > base.minor) return "minor";
  return "patch";
}
