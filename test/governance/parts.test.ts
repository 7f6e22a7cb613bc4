// The governance scripts' parts that the end-to-end tests reach only on their happy path: pattern comparison
// when sampling is impossible, which schemas travel in which direction, the version arithmetic, the history table
// edit, and which drift findings are not drift. Each with a case that must fail.
import { describe, expect, it } from "vitest";
import { isRefusedAsDocumented } from "../../scripts/governance/drift.ts";
import { bumpBetween, nextVersion, parseVersion } from "../../scripts/governance/impact.ts";
import { comparePatterns, mayHold } from "../../scripts/governance/pattern-compare.ts";
import { appendHistoryRow, historyVersions, releaseEntry } from "../../scripts/governance/release-notes.ts";
import { schemaDirections } from "../../scripts/governance/spec-walk.ts";
import { loadBundledSpec } from "../helpers.ts";

describe("pattern comparison", () => {
  it("finds a witness in each direction", () => {
    const tighter = comparePatterns("^[a-z]{1,8}$", "^[a-z]{1,4}$");
    expect(tighter.tightened).toMatchObject({ found: true });
    expect(tighter.loosened).toEqual({ found: false, sampled: true });
    expect(comparePatterns("^[a-z]+$", undefined).loosened).toMatchObject({ found: true });
    expect(comparePatterns(undefined, "^[a-z]+$").tightened).toMatchObject({ found: true });
  });

  it("judges a pattern with the keywords beside it: a witness that `format` refused proves nothing", () => {
    const alone = comparePatterns("^.*$", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$");
    expect(alone.tightened).toMatchObject({ found: true });
    const withFormat = comparePatterns("^.*$", "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", {
      before: { type: "string", format: "date", pattern: "^.*$" },
      after: { type: "string" },
    });
    expect(withFormat.tightened).toEqual({ found: false, sampled: true });
    expect(withFormat.loosened).toMatchObject({ found: true }); // e.g. 2026-13-40: no longer refused by format
  });

  it("counts a pattern it cannot sample (a lookahead) as possibly changed both ways", () => {
    const result = comparePatterns("^(?=a)[a-z]+$", "^(?=b)[a-z]+$");
    expect(mayHold(result.tightened)).toBe(true);
    expect(mayHold(result.loosened)).toBe(true);
    expect(mayHold({ found: false, sampled: true })).toBe(false);
  });
});

describe("schema directions of the bundled spec", () => {
  const directions = schemaDirections(loadBundledSpec());
  it("tells request-only, response-only and shared schemas apart", () => {
    expect([...(directions.get("#/components/schemas/QcPageQuery") ?? [])]).toEqual(["request"]);
    expect([...(directions.get("#/components/schemas/YuanAmount") ?? [])]).toEqual(["response"]);
    expect(directions.get("#/components/schemas/GoodsSource")).toEqual(new Set(["request", "response"]));
    expect(directions.get("#/components/headers/RetryAfter/schema")).toEqual(new Set(["response"]));
    expect(directions.has("#/components/schemas/NoSuchSchema")).toBe(false);
  });
});

describe("versions", () => {
  it("parses, bumps and compares", () => {
    const v = parseVersion("1.4.0");
    expect(v).toEqual({ major: 1, minor: 4, patch: 0 });
    expect(parseVersion("1.4")).toBeUndefined();
    if (!v) return;
    expect(nextVersion(v, "major")).toEqual({ major: 2, minor: 0, patch: 0 });
    expect(bumpBetween(v, { major: 1, minor: 5, patch: 0 })).toBe("minor");
    expect(bumpBetween(v, { major: 1, minor: 3, patch: 9 })).toBe("lower");
    expect(bumpBetween(v, v)).toBe("none");
  });
});

describe("change-history table", () => {
  const page =
    "# Changes\n\n| Version | Date | Changes |\n| --- | --- | --- |\n| v1.0 | 2026-06 | First. |\n\nAfter.\n";
  it("appends after the last row, at its indentation, and reads the versions back", () => {
    const out = appendHistoryRow(page, ["v1.1.0", "2026-12-01", "a | b"]);
    expect(out).toContain("| v1.0 | 2026-06 | First. |\n| v1.1.0 | 2026-12-01 | a \\| b |\n\nAfter.");
    expect(historyVersions(out)).toEqual(["v1.0", "v1.1.0"]);
    const indented = appendHistoryRow("    | v1.0 | x | y |\n", ["v2.0.0", "d", "z"]);
    expect(indented).toContain("\n    | v2.0.0 | d | z |");
  });

  it("refuses a page without a history table", () => {
    expect(() => appendHistoryRow("# nothing here\n", ["v1.1.0", "d", "z"])).toThrow(/no change-history table/);
  });

  it("says so when a release holds no contract change", () => {
    expect(releaseEntry([])).toEqual({ en: "No contract changes.", zh: "契约无变更。" });
  });
});

describe("which drift findings are drift", () => {
  it("does not count a request the spec does not allow that was refused with a 4xx", () => {
    const probe = { ruleId: "undocumented-endpoint", severity: "error" as const, message: "", status: 405 };
    expect(isRefusedAsDocumented(probe)).toBe(true);
    expect(isRefusedAsDocumented({ ...probe, ruleId: "security-baseline", status: 401 })).toBe(true);
  });

  it("counts an answered one, and every finding about a response", () => {
    const answered = { ruleId: "security-baseline", severity: "error" as const, message: "", status: 200 };
    expect(isRefusedAsDocumented(answered)).toBe(false);
    expect(isRefusedAsDocumented({ ...answered, ruleId: "undocumented-endpoint" })).toBe(false);
    expect(
      isRefusedAsDocumented({ ...answered, ruleId: "schema-consistency", target: "response" as const, status: 400 }),
    ).toBe(false);
  });
});
