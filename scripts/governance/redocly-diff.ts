// `redocly diff --format json` over two bundled specs, as RatedChanges. Redocly reports each change once, at its
// first use, with `base`/`revision` pointers to where it is defined (a component, usually).
import type { Impact, RatedChange } from "./impact.ts";
import { kitRedoclyConfig, redoclyAsync } from "./redocly.ts";
import type { Json } from "./spec-walk.ts";
import { describeLocation, locate } from "./where.ts";

export interface RedoclyChange {
  path: string;
  typeName?: string;
  kind: "added" | "removed" | "modified";
  impact: Impact;
  property?: string;
  verdicts: { ruleId: string; impact: Impact; message: string }[];
  base?: { pointer: string; value?: unknown };
  revision?: { pointer: string; value?: unknown };
}

export interface RedoclyReport {
  changes: RedoclyChange[];
}

export async function runRedoclyDiff(baseFile: string, revisionFile: string): Promise<RedoclyReport> {
  // --fail-on none: the kit decides the verdict after its own rules have run (rate.ts).
  const run = await redoclyAsync([
    "diff",
    baseFile,
    revisionFile,
    "--config",
    kitRedoclyConfig,
    "--format",
    "json",
    "--fail-on",
    "none",
  ]);
  try {
    const report = JSON.parse(run.stdout) as RedoclyReport;
    return { changes: report.changes ?? [] };
  } catch {
    throw new Error(`redocly diff gave no JSON report (exit ${run.code}):\n${run.stderr || run.stdout}`);
  }
}

const short = (value: unknown): string => {
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text === undefined ? "(none)" : text;
};
const PROSE = new Set(["description", "summary", "title"]);

function modifiedMessage(change: RedoclyChange, subject: string): string {
  const before = short(change.base?.value);
  const after = short(change.revision?.value);
  if (PROSE.has(change.property ?? "") || before.length + after.length > 120) return `${subject} changed`;
  return `${subject} changed from ${before} to ${after}`;
}

export function toRatedChange(change: RedoclyChange, specs: [Json, Json]): RatedChange {
  const location = locate(change.path, specs);
  const verdict = change.verdicts[0];
  const subject = change.property ? `\`${change.property}\`` : (change.typeName ?? "item");
  const message =
    verdict?.message ??
    (change.kind === "modified"
      ? modifiedMessage(change, subject)
      : `${location.field ? `\`${location.field}\`` : (change.typeName ?? "item")} ${change.kind}`);
  return {
    impact: change.impact,
    rule: verdict?.ruleId ?? `redocly/${change.kind}`,
    kind: change.kind,
    operationId: location.operationId,
    where: describeLocation(location),
    pointer: change.path,
    message,
    property: change.property,
    field: location.field,
    part: location.part,
    ...(change.typeName ? { facts: { type: change.typeName } } : {}),
  };
}

/** Where a Redocly change is defined in either spec (used to find what Redocly did not report). */
export function definitionPointers(change: RedoclyChange): string[] {
  return [change.base?.pointer, change.revision?.pointer, change.path].filter((p): p is string => Boolean(p));
}
