import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error scripts/build.mjs is plain JavaScript without declarations
import { findDrift, GENERATED_FILES } from "../../scripts/build.mjs";
import { repoRoot } from "../helpers.ts";

describe("generated/ is derived from openapi/", () => {
  const scratch = mkdtempSync(join(tmpdir(), "generated-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("matches a fresh build of the spec byte for byte", async () => {
    expect(await findDrift(join(repoRoot, "generated"))).toEqual([]);
  });

  it("carries the do-not-edit notice in every file", () => {
    const json = JSON.parse(readFileSync(join(repoRoot, "generated/openapi.json"), "utf8"));
    expect(Object.keys(json)[0]).toBe("x-generated");
    expect(json["x-generated"]).toContain("Do not edit");
    expect(readFileSync(join(repoRoot, "generated/schema.d.ts"), "utf8").slice(0, 200)).toContain("Do not edit");
  });

  it("detects a hand edit of a generated file", async () => {
    cpSync(join(repoRoot, "generated"), scratch, { recursive: true });
    const types = join(scratch, "schema.d.ts");
    writeFileSync(types, readFileSync(types, "utf8").replace("orginalPrice", "originalPrice"));
    expect(await findDrift(scratch)).toEqual(["schema.d.ts"]);
  });

  it("detects a missing generated file", async () => {
    const empty = mkdtempSync(join(tmpdir(), "generated-empty-"));
    try {
      expect(await findDrift(empty)).toEqual(GENERATED_FILES);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
