// `npm run diff` as npm test and CI run it: against this repository's own history (the last release, or openapi/
// before its latest change), in a fresh clone without remote or tags where a committed breaking change must fail,
// and the choice of the default base in every situation the brief names.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveDefaultBase, scratchDir } from "../../scripts/governance/git-spec.ts";
import { loadBundledSpec, repoRoot } from "../helpers.ts";
import { commit, editYaml, freshClone, git, runScript } from "./git-fixture.ts";

describe("npm run diff on this repository", { timeout: 180_000 }, () => {
  it("finds no breaking change without a major bump since the last release (or openapi/'s previous commit)", () => {
    const run = runScript(repoRoot, "diff", []);
    expect(run.out).toMatch(/^Base: /m);
    expect(run.out, run.out).toContain("PASSED");
    expect(run.code).toBe(0);
  });
});

describe("npm run diff in a fresh clone (as CI has it: no remote, no tags)", { timeout: 180_000 }, () => {
  const major = Number(String(loadBundledSpec().info.version).split(".")[0]);
  let clone: ReturnType<typeof freshClone>;
  beforeAll(() => {
    clone = freshClone();
  });
  afterAll(() => clone?.dispose());

  it("fails on a committed breaking change, compared with openapi/ before that commit", () => {
    editYaml(clone.dir, "openapi/components/schemas/GoodsDetail.yaml", (schema) => {
      delete schema.properties.postFee;
      schema.required = schema.required.filter((name: string) => name !== "postFee");
    });
    const breaking = commit(clone.dir, "spec: drop postFee");
    // A later commit that leaves the spec alone (a README of openapi/, a file elsewhere) does not hide it.
    writeFileSync(join(clone.dir, "NOTES.md"), "unrelated\n");
    writeFileSync(join(clone.dir, "openapi", "README.md"), "edited\n");
    git(clone.dir, "add", "NOTES.md", "openapi/README.md");
    commit(clone.dir, "notes");
    const run = runScript(clone.dir, "diff", []);
    expect(run.out).toContain(
      `the state before the latest commit that changed the spec in openapi/ (${breaking.slice(0, 12)}`,
    );
    expect(run.out).toMatch(/\| major +\| property-removed +\| getGoodsDetail response 200 data\.postFee/);
    expect(run.out).toContain(`FAILED: 2 breaking change(s) while info.version stays on major ${major}`);
    expect(run.out).toContain(`set info.version to ${major + 1}.0.0`);
    expect(run.code).toBe(1);
  });

  it("passes the same change once info.version's major is bumped in the work tree", () => {
    editYaml(clone.dir, "openapi/openapi.yaml", (spec) => {
      spec.info.version = `${major + 1}.0.0`;
    });
    const json = join(clone.dir, "..", "diff.json");
    const run = runScript(clone.dir, "diff", ["HEAD~2", "--json", json]);
    expect(run.out).toMatch(/\| major +\| property-removed/);
    expect(run.out).toContain(
      `PASSED: breaking changes, and info.version's major was bumped (${major} -> ${major + 1})`,
    );
    expect(run.code).toBe(0);
    const report = JSON.parse(readFileSync(json, "utf8"));
    expect(report).toMatchObject({ bump: "major", revisionVersion: `${major + 1}.0.0`, verdict: { ok: true } });
  });

  it("exits 2 on a base ref that does not exist", () => {
    const run = runScript(clone.dir, "diff", ["no-such-ref"]);
    expect(run.out).toContain("no-such-ref is not a commit, tag or branch");
    expect(run.code).toBe(2);
  });
});

describe("the default base", () => {
  const scratch = scratchDir("governance-base-");
  const repo = join(scratch.dir, "repo");
  const shas: string[] = [];
  beforeAll(() => {
    mkdirSync(join(repo, "openapi"), { recursive: true });
    git(repo, "init", "--quiet");
    const write = (version: string) =>
      writeFileSync(join(repo, "openapi", "openapi.yaml"), `openapi: 3.1.0\ninfo:\n  version: ${version}\n`);
    write("1.0.0");
    git(repo, "add", ".");
    shas.push(commit(repo, "first"));
    write("1.1.0");
    shas.push(commit(repo, "second"));
    writeFileSync(join(repo, "README.md"), "x\n");
    git(repo, "add", "README.md");
    shas.push(commit(repo, "no spec change"));
  });
  afterAll(() => scratch.dispose());

  it("is openapi/ before its latest change when there is no tag and no origin/main", () => {
    expect(resolveDefaultBase(repo)).toMatchObject({ sha: shas[0], ref: `${shas[1]?.slice(0, 12)}^` });
  });

  it("is HEAD while openapi/ has uncommitted changes", () => {
    writeFileSync(join(repo, "openapi", "openapi.yaml"), "openapi: 3.1.0\ninfo:\n  version: 1.2.0\n");
    expect(resolveDefaultBase(repo)).toMatchObject({ ref: "HEAD", sha: shas[2] });
    git(repo, "checkout", "--", "openapi");
  });

  it("is origin/main when there is one and no release tag", () => {
    git(repo, "update-ref", "refs/remotes/origin/main", shas[1] as string);
    expect(resolveDefaultBase(repo)).toMatchObject({ ref: "origin/main", sha: shas[1] });
  });

  it("is the last release tag when there is one", () => {
    git(repo, "tag", "v1.0.0", shas[0] as string);
    git(repo, "tag", "not-a-release", shas[2] as string);
    expect(resolveDefaultBase(repo)).toMatchObject({ ref: "v1.0.0", sha: shas[0] });
  });
});
