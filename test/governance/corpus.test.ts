// The gate rates every change of the corpus (spec-changes.ts) as the policy says: the real `redocly diff` with the
// kit's config, then the kit's rules (scripts/governance/rate.ts), over the bundled spec and a patched copy.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scratchDir } from "../../scripts/governance/git-spec.ts";
import { rateSpecFiles, verdict } from "../../scripts/governance/rate.ts";
import { changeTable } from "../../scripts/governance/report.ts";
import { loadBundledSpec } from "../helpers.ts";
import { specChanges } from "./spec-changes.ts";

const scratch = scratchDir("gate-corpus-");
afterAll(() => scratch.dispose());
const baseSpec = loadBundledSpec();
const baseFile = join(scratch.dir, "base.json");
writeFileSync(baseFile, JSON.stringify(baseSpec));

// Cases run side by side and share the CPU with other test files: generous timeouts.
describe("the breaking-change gate over the corpus of spec changes", { timeout: 240_000 }, () => {
  it("has at least 30 changes, each must-pass and must-fail kind included", () => {
    expect(specChanges.length).toBeGreaterThanOrEqual(30);
    expect(new Set(specChanges.map((c) => c.name)).size).toBe(specChanges.length);
    for (const impact of ["major", "minor", "patch"]) expect(specChanges.some((c) => c.expected === impact)).toBe(true);
  });

  // Concurrent: each case waits on its own `redocly diff` process.
  it.concurrent.each(specChanges.map((c, i) => [c.name, c, i] as const))("%s", async (_name, change, i) => {
    const revision = structuredClone(baseSpec);
    change.apply(revision);
    expect(JSON.stringify(revision), "the patch changed nothing").not.toBe(JSON.stringify(baseSpec));
    const revisionFile = join(scratch.dir, `revision-${i}.json`);
    writeFileSync(revisionFile, JSON.stringify(revision));
    const rating = await rateSpecFiles(baseFile, revisionFile);
    const table = `${change.why}\n${changeTable(rating.changes)}`;
    expect(rating.bump, table).toBe(change.expected);
    if (change.rule)
      expect(
        rating.changes.map((c) => c.rule),
        table,
      ).toContain(change.rule);
    // The gate itself: a major change fails while info.version keeps its major, and passes once it is bumped.
    expect(verdict(rating).ok, table).toBe(change.expected !== "major");
    if (change.expected === "major") {
      const nextMajor = `${Number(rating.baseVersion.split(".")[0]) + 1}.0.0`;
      expect(verdict({ ...rating, revisionVersion: nextMajor }).ok, table).toBe(true);
    }
  });
});
