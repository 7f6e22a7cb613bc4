// The whole repository type-checks under the strict tsconfig and passes Biome (format + lint), so `npm test`
// catches what a reviewer would. Each gate has a case that must fail.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { repoRoot } from "../helpers.ts";

const biome = join(repoRoot, "node_modules", "@biomejs", "cli-linux-x64", "biome");
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { cwd: repoRoot, encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("static checks over the repository", () => {
  // Biome's failing case needs a file inside the repo (so that biome.json applies); removed afterwards.
  const scratch = mkdtempSync(join(repoRoot, "test", "repo", ".scratch-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("tsc -p tsconfig.json reports no error", () => {
    const { status, output } = run(process.execPath, [tsc, "-p", "tsconfig.json"]);
    expect(output).toBe("");
    expect(status).toBe(0);
  });

  it("tsc fails on a type error", () => {
    const outside = mkdtempSync(join(tmpdir(), "tsc-broken-"));
    try {
      const file = join(outside, "broken.ts");
      writeFileSync(file, 'const count: number = "one";\nexport { count };\n');
      const { status, output } = run(process.execPath, [tsc, "--noEmit", "--strict", file]);
      expect(status).not.toBe(0);
      expect(output).toContain("TS2322");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("biome check reports nothing", () => {
    const { status, output } = run(biome, ["check", ".", "--error-on-warnings"]);
    expect(output).toContain("No fixes applied");
    expect(status).toBe(0);
  });

  it("biome fails on an `any` and on bad formatting", () => {
    const file = join(scratch, "sloppy.ts");
    writeFileSync(file, "export function f(x: any) {return x}\n");
    const { status, output } = run(biome, ["check", file]);
    expect(status).not.toBe(0);
    expect(output).toContain("noExplicitAny");
    expect(output).toContain("format");
  });
});
