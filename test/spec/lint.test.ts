import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, repoRoot } from "../helpers.ts";

/** Runs `redocly lint` with the kit's redocly.yaml in `cwd`; the exit status and the summary. */
function lint(cwd: string) {
  const run = spawnSync(bin("redocly"), ["lint", "--config", "redocly.yaml", "--format", "summary"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("redocly lint (recommended-strict + the kit's rules)", () => {
  const scratch = mkdtempSync(join(tmpdir(), "spec-lint-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("reports zero problems on the spec", () => {
    const { status, output } = lint(repoRoot);
    expect(output).toContain("Your API description is valid");
    expect(status).toBe(0);
  });

  it("fails on an example that does not match its schema", () => {
    cpSync(join(repoRoot, "openapi"), join(scratch, "openapi"), { recursive: true });
    cpSync(join(repoRoot, "redocly.yaml"), join(scratch, "redocly.yaml"));
    const example = join(scratch, "openapi/components/examples/GetGoodsDetailResponse.yaml");
    writeFileSync(example, readFileSync(example, "utf8").replace("priceInCents: 9900", 'priceInCents: "9900"'));
    const { status, output } = lint(scratch);
    expect(status).not.toBe(0);
    expect(output).toContain("no-invalid-media-type-examples");
  });

  it("fails on an example without a summary and an unused component", () => {
    cpSync(join(repoRoot, "openapi"), join(scratch, "openapi2"), { recursive: true });
    cpSync(join(repoRoot, "redocly.yaml"), join(scratch, "redocly.yaml"));
    const example = join(scratch, "openapi2/components/examples/RevokeTokenRequest.yaml");
    writeFileSync(example, readFileSync(example, "utf8").replace(/^summary: .*\n/m, ""));
    const root = join(scratch, "openapi2/openapi.yaml");
    writeFileSync(
      root,
      readFileSync(root, "utf8").replace(
        "  securitySchemes:",
        "  schemas:\n    Orphan:\n      type: string\n      description: Unused.\n  securitySchemes:",
      ),
    );
    writeFileSync(
      join(scratch, "redocly.yaml"),
      readFileSync(join(scratch, "redocly.yaml"), "utf8").replace(
        "root: openapi/openapi.yaml",
        "root: openapi2/openapi.yaml",
      ),
    );
    const { status, output } = lint(scratch);
    expect(status).not.toBe(0);
    expect(output).toContain("rule/example-summary");
    expect(output).toContain("no-unused-components");
  });
});
