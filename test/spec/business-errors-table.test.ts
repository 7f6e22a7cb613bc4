import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type Json, loadBundledSpec, repoRoot } from "../helpers.ts";
import { operations } from "./spec-checks.ts";

/** The business-error rows of openapi/README.md: code -> [key, message, operations]. */
function readmeRows(readme: string): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const line of readme.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    if (/^\d+$/.test(cells[1] ?? "")) rows.set(Number(cells[1]), cells.slice(2, 5));
  }
  return rows;
}

/** The same rows, computed from the spec's x-business-errors. */
function specRows(spec: Json): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  for (const { op } of operations(spec)) {
    for (const error of op["x-business-errors"] ?? []) {
      const row = rows.get(error.code) ?? [error.key, error.message, ""];
      row[2] = row[2] ? `${row[2]}, ${op.operationId}` : op.operationId;
      rows.set(error.code, row);
    }
  }
  return rows;
}

describe("the business error table of openapi/README.md", () => {
  const readme = readFileSync(join(repoRoot, "openapi/README.md"), "utf8");

  it("lists exactly the spec's x-business-errors", () => {
    const expected = [...specRows(loadBundledSpec()).entries()].sort(([a], [b]) => a - b);
    expect([...readmeRows(readme).entries()].sort(([a], [b]) => a - b)).toEqual(expected);
  });

  it("notices a code the README does not list", () => {
    const spec = structuredClone(loadBundledSpec());
    spec.paths["/open-api/goods/qc-images"].post["x-business-errors"] = [
      { code: 1008007000, key: "X", message: "New error", description: "New." },
    ];
    expect(specRows(spec).has(1008007000)).toBe(true);
    expect(readmeRows(readme).has(1008007000)).toBe(false);
  });
});
