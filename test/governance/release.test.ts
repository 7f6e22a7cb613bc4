// `npm run release` in a scratch clone (never in the real repository): it versions, writes the bilingual
// change-history row from the diff, commits and tags; it refuses a version smaller than the changes need. And the
// docs' change history shows every release of the spec's own history, here and in the clone.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HISTORY_FILES, historyVersions } from "../../scripts/governance/release-notes.ts";
import { loadBundledSpec, repoRoot } from "../helpers.ts";
import { commit, editYaml, freshClone, git, runScript } from "./git-fixture.ts";

const read = (dir: string, file: string) => readFileSync(join(dir, file), "utf8");
const DOCS = ["docs/guide/en/10-changes.md", "docs/guide/zh-CN/10-changes.md"];

/** Every version of the spec's own change history (its description, and every release tag) is in both docs pages. */
function expectDocsShowEveryRelease(dir: string): void {
  const releases = new Set([
    ...historyVersions(read(dir, "openapi/openapi.yaml")),
    ...git(dir, "tag", "--list", "v*").split("\n").filter(Boolean),
  ]);
  expect(releases.size).toBeGreaterThanOrEqual(5);
  for (const page of DOCS)
    expect(historyVersions(read(dir, page)), page).toEqual(expect.arrayContaining([...releases]));
}

describe("the change history of this repository", () => {
  it("shows every release of the spec's own history in both languages", () => {
    expectDocsShowEveryRelease(repoRoot);
  });

  it("must fail when a release is missing from a docs page", () => {
    const page = read(repoRoot, DOCS[1] as string)
      .split("\n")
      .filter((line) => !line.startsWith("| v1.3 "))
      .join("\n");
    expect(historyVersions(page)).not.toContain("v1.3");
    expect(historyVersions(read(repoRoot, "openapi/openapi.yaml"))).toContain("v1.3");
  });
});

// Each test runs the real scripts (bundle, redocly diff, the build): minutes on a loaded 2-core machine.
describe("npm run release in a scratch clone", { timeout: 300_000 }, () => {
  // The versions after today's: the changes below need a major release.
  const [x, y] = String(loadBundledSpec().info.version).split(".").map(Number) as [number, number];
  const major = `${x + 1}.0.0`;
  const minor = `${x}.${y + 1}.0`;
  const patch = `${x + 1}.0.1`;
  let clone: ReturnType<typeof freshClone>;
  const realTags = git(repoRoot, "tag", "--list");
  beforeAll(() => {
    clone = freshClone();
    editYaml(clone.dir, "openapi/components/schemas/GoodsDetail.yaml", (schema) => {
      schema.properties.brandName = { type: "string", description: "The brand, when the source platform names one." };
    });
    editYaml(clone.dir, "openapi/paths/open-api_goods_search-url-parse.yaml", (path) => {
      path.post["x-business-errors"].push({
        code: 1008010001,
        key: "GOODS_URL_UNSUPPORTED",
        message: "Unsupported product URL",
        description: "The link belongs to a platform the parser does not know.",
      });
    });
    commit(clone.dir, "spec: brandName, and a new business error of parseGoodsUrl");
  });
  afterAll(() => clone?.dispose());

  it("refuses a version smaller than the changes need, and touches nothing", () => {
    const head = git(clone.dir, "rev-parse", "HEAD");
    const run = runScript(clone.dir, "release", [minor, "--date", "2026-12-01"]);
    expect(run.out).toMatch(/\| major +\| kit\/business-error-added +\| parseGoodsUrl/);
    expect(run.out).toContain(`the changes need a major release (${major} or later); v${minor} is only a minor bump`);
    expect(run.code).toBe(1);
    expect(git(clone.dir, "rev-parse", "HEAD")).toBe(head);
    expect(git(clone.dir, "status", "--porcelain", "--untracked-files=no")).toBe("");
    expect(git(clone.dir, "tag", "--list")).toBe("");
  });

  it("releases the next major: version everywhere, the history row in both languages, a commit and a tag", () => {
    const run = runScript(clone.dir, "release", [major, "--date", "2026-12-01"]);
    expect(run.code, run.out).toBe(0);
    expect(git(clone.dir, "tag", "--list")).toBe(`v${major}`);
    expect(git(clone.dir, "log", "-1", "--format=%s")).toBe(`release v${major}`);
    expect(git(clone.dir, "status", "--porcelain", "--untracked-files=no")).toBe("");
    expect(JSON.parse(read(clone.dir, "generated/openapi.json")).info.version).toBe(major);
    expect(JSON.parse(read(clone.dir, "client/package.json")).version).toBe(major);
    expect(read(clone.dir, "openapi/openapi.yaml")).toContain(`\n  version: ${major}\n`);
    const rows = Object.fromEntries(
      HISTORY_FILES.map(({ file }) => [
        file,
        read(clone.dir, file)
          .split("\n")
          .find((l) => l.includes(`| v${major} |`)),
      ]),
    );
    for (const [file, row] of Object.entries(rows)) expect(row, file).toContain("| 2026-12-01 |");
    const en = rows["docs/guide/en/10-changes.md"];
    const zh = rows["docs/guide/zh-CN/10-changes.md"];
    expect(en).toContain("**Breaking:** `parseGoodsUrl`: new business error `1008010001`");
    expect(en).toContain("**Added:** `getGoodsDetail` response 200 `data.brandName`: added");
    expect(zh).toContain("**不兼容变更:**`parseGoodsUrl`:新增业务错误码 `1008010001`");
    expect(zh).toContain("**新增:**`getGoodsDetail` 响应 200 `data.brandName`:新增");
    expect(git(clone.dir, "tag", "-l", "--format=%(contents)", `v${major}`)).toContain(
      "new business error `1008010001`",
    );
    expectDocsShowEveryRelease(clone.dir);
    // The release is the new base: nothing left to gate.
    const after = runScript(clone.dir, "diff", []);
    expect(after.out).toContain(`Base: v${major}`);
    expect(after.code).toBe(0);
  });

  it("refuses a second release with nothing changed, and never tags the real repository", () => {
    const run = runScript(clone.dir, "release", [patch]);
    expect(run.out).toContain(`nothing changed in openapi/ since v${major}`);
    expect(run.code).toBe(1);
    expect(git(repoRoot, "tag", "--list")).toBe(realTags);
  });
});
