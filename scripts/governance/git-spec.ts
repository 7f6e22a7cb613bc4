// The spec at a git ref and in the work tree, and which ref a change is judged against by default.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { bundle } from "./redocly.ts";

export const SPEC_DIR = "openapi";
export const SPEC_ROOT = "openapi/openapi.yaml";
/**
 * The files the bundle is made of: openapi/ without its prose, translations, workflows and lint plugins, so that a
 * README edit does not become "the latest change of the spec" that CI compares against.
 */
export const SPEC_SOURCES = [
  SPEC_DIR,
  ":(exclude,glob)openapi/**/*.md",
  ":(exclude)openapi/overlays",
  ":(exclude)openapi/arazzo",
  ":(exclude)openapi/plugins",
];
/** Release tags are `v` + semver (`v1.5.0`); `npm run release` makes them. */
export const RELEASE_TAG_GLOB = "v[0-9]*.[0-9]*.[0-9]*";

export function git(repo: string, args: string[]): string {
  return execFileSync("git", args, { cwd: repo, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
}

function gitOk(repo: string, args: string[]): string | undefined {
  try {
    return git(repo, args);
  } catch {
    return undefined;
  }
}

export function repoTop(dir: string): string {
  const top = gitOk(dir, ["rev-parse", "--show-toplevel"]);
  if (top === undefined) throw new Error(`${dir} is not inside a git repository: the diff compares git refs`);
  return top;
}

export interface BaseRef {
  ref: string;
  sha: string;
  /** Why this ref was chosen, printed with the report. */
  reason: string;
}

/** The newest release tag reachable from HEAD, if any. */
export function lastReleaseTag(repo: string): string | undefined {
  return gitOk(repo, ["describe", "--tags", "--abbrev=0", "--match", RELEASE_TAG_GLOB, "HEAD"]);
}

function specDirtyInWorkTree(repo: string): boolean {
  return git(repo, ["status", "--porcelain", "--", ...SPEC_SOURCES]) !== "";
}

/**
 * The default base: the last release tag; else `origin/main`; else the state of openapi/ before its latest change
 * (HEAD when openapi/ has uncommitted edits, otherwise the parent of the newest commit that touched it). CI runs in
 * a fresh clone without tags or remotes, so the last rule is what guards main there.
 */
export function resolveDefaultBase(repo: string): BaseRef | undefined {
  const tag = lastReleaseTag(repo);
  if (tag) return { ref: tag, sha: git(repo, ["rev-parse", `${tag}^{commit}`]), reason: "the last release tag" };
  const originMain = gitOk(repo, ["rev-parse", "--verify", "--quiet", "origin/main^{commit}"]);
  if (originMain) return { ref: "origin/main", sha: originMain, reason: "origin/main (no release tag yet)" };
  if (specDirtyInWorkTree(repo)) {
    return { ref: "HEAD", sha: git(repo, ["rev-parse", "HEAD"]), reason: "HEAD (openapi/ has uncommitted changes)" };
  }
  // --first-parent: on main a merge is one change, judged against main before it, not against a side branch.
  const last = gitOk(repo, ["log", "-1", "--first-parent", "--format=%H", "HEAD", "--", ...SPEC_SOURCES]);
  if (!last) return undefined;
  const parent = gitOk(repo, ["rev-parse", "--verify", "--quiet", `${last}^`]);
  if (!parent) return undefined;
  return {
    ref: `${last.slice(0, 12)}^`,
    sha: parent,
    reason: `the state before the latest commit that changed the spec in openapi/ (${last.slice(0, 12)}; no release tag, no origin/main)`,
  };
}

export function resolveBase(repo: string, ref: string | undefined): BaseRef | undefined {
  if (ref === undefined) return resolveDefaultBase(repo);
  const sha = gitOk(repo, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!sha) throw new Error(`${ref} is not a commit, tag or branch of this repository`);
  return { ref, sha, reason: "given on the command line" };
}

/** A scratch folder removed by `dispose`. */
export function scratchDir(prefix: string): { dir: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Bundles openapi/ as it is at `sha` into `outFile` (git archive into a scratch folder: the repo is not touched). */
export function bundleAtRef(repo: string, sha: string, outFile: string): void {
  const tree = gitOk(repo, ["ls-tree", "--name-only", sha, SPEC_ROOT]);
  if (!tree) throw new Error(`${sha.slice(0, 12)} has no ${SPEC_ROOT}`);
  const scratch = scratchDir("spec-at-ref-");
  try {
    mkdirSync(scratch.dir, { recursive: true });
    const archive = execFileSync("git", ["archive", "--format=tar", sha, SPEC_DIR], {
      cwd: repo,
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", scratch.dir], { input: archive });
    bundle(join(scratch.dir, SPEC_ROOT), outFile);
  } finally {
    scratch.dispose();
  }
}

export function bundleWorkTree(repo: string, outFile: string): void {
  bundle(join(repo, SPEC_ROOT), outFile);
}

/** info.version of openapi/openapi.yaml at `sha` (read without bundling: it lives in the root file). */
export function specVersionAt(repo: string, sha: string): string | undefined {
  const text = gitOk(repo, ["show", `${sha}:${SPEC_ROOT}`]);
  if (text === undefined) return undefined;
  const info = (parseYaml(text) as { info?: { version?: unknown } } | null)?.info;
  return info?.version === undefined ? undefined : String(info.version);
}

/**
 * The last release: the newest release tag; without one, the spec's own history: the commit that set info.version
 * to the value HEAD has (the kit's versions before `npm run release` existed were set by hand, never tagged).
 */
export function lastRelease(repo: string): BaseRef | undefined {
  const tag = lastReleaseTag(repo);
  if (tag) return { ref: tag, sha: git(repo, ["rev-parse", `${tag}^{commit}`]), reason: "the last release tag" };
  const current = specVersionAt(repo, "HEAD");
  if (current === undefined) return undefined;
  let introduced: string | undefined;
  for (const sha of git(repo, ["log", "--format=%H", "HEAD", "--", SPEC_ROOT]).split("\n").filter(Boolean)) {
    if (specVersionAt(repo, sha) !== current) break;
    introduced = sha;
  }
  if (!introduced) return undefined;
  return {
    ref: introduced.slice(0, 12),
    sha: introduced,
    reason: `the commit that set info.version to ${current} (no release tag yet)`,
  };
}
