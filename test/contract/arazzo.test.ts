// The Arazzo workflows are part of the contract: they must lint clean (Redocly's Arazzo rules) and each must say
// which runner profiles run it.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { bin, repoRoot } from "../helpers.ts";

const dir = join(repoRoot, "openapi", "arazzo");
const files = readdirSync(dir).filter((f) => f.endsWith(".arazzo.yaml"));

describe("openapi/arazzo", () => {
  it("holds the four workflows of the contract", () => {
    const ids = files.flatMap((f) =>
      (parse(readFileSync(join(dir, f), "utf8")) as { workflows: { workflowId: string }[] }).workflows.map(
        (w) => w.workflowId,
      ),
    );
    expect(ids.sort()).toEqual(["redeemReplay", "revokeThen401", "tokenThenDetail", "walkQcPages"]);
  });

  it("lints clean with redocly lint", () => {
    const run = spawnSync(bin("redocly"), ["lint", ...files.map((f) => join(dir, f))], {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
      encoding: "utf8",
    });
    expect(run.status, run.stdout + run.stderr).toBe(0);
    expect(run.stdout + run.stderr).toContain("Your API descriptions are valid");
  });
});
