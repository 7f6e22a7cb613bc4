// `npm run release -- <version> [--since <ref>] [--date YYYY-MM-DD]`: releases the spec in the work tree.
//   1. rates every change since the last release (its tag; without one, the commit that set the current
//      info.version) and refuses a version whose bump is smaller than the changes need;
//   2. sets info.version (openapi.yaml, the zh-CN overlay, the package.json files kept equal to it) and rebuilds
//      generated/;
//   3. writes the change-history row, made from the diff, in English and Chinese: docs/guide/<lang>/10-changes.md
//      and the spec's own history (info.description of openapi.yaml and of the zh-CN overlay);
//   4. commits, and tags v<version> (annotated, the notes as its message). Nothing is pushed.
// Exit codes: 0 released, 1 refused (version too small, nothing to release), 2 could not run.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  bundleAtRef,
  bundleWorkTree,
  git,
  lastRelease,
  repoTop,
  resolveBase,
  scratchDir,
} from "./governance/git-spec.ts";
import { bumpBetween, formatVersion, nextVersion, parseVersion, rank } from "./governance/impact.ts";
import { rateSpecFiles } from "./governance/rate.ts";
import { appendHistoryRow, HISTORY_FILES, OVERLAY_FILE, releaseEntry, SPEC_FILE } from "./governance/release-notes.ts";
import { changeTable } from "./governance/report.ts";

const PACKAGE_FILES = ["package.json", "client/package.json"];
const LOCK_FILE = "package-lock.json";

class Refusal extends Error {}

function parseArgs(argv: string[]) {
  const options: { version?: string; since?: string; date: string } = {
    date: new Date().toISOString().slice(0, 10),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--since") options.since = argv[++i];
    else if (arg === "--date") options.date = argv[++i] ?? "";
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else options.version = arg;
  }
  if (!options.version) throw new Error("usage: npm run release -- <version> [--since <ref>] [--date YYYY-MM-DD]");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(options.date)) throw new Error(`--date must be YYYY-MM-DD, got ${options.date}`);
  return options as typeof options & { version: string };
}

/** Replaces the `version:` line of the top-level `info:` block, keeping every other byte of the file. */
function setInfoVersion(text: string, version: string, file: string): string {
  const replaced = text.replace(/^(info:\n(?:[ \t]+.*\n|\n)*?[ \t]+version:[ \t]*)(\S+)/m, `$1${version}`);
  if (replaced === text && !new RegExp(`^[ \\t]+version:[ \\t]*${version.replace(/\./g, "\\.")}$`, "m").test(text)) {
    throw new Error(`${file}: no info.version line to update`);
  }
  return replaced;
}

function edit(repo: string, file: string, change: (text: string) => string): void {
  const path = join(repo, file);
  writeFileSync(path, change(readFileSync(path, "utf8")));
}

function setPackageVersions(repo: string, version: string): void {
  for (const file of PACKAGE_FILES) {
    edit(repo, file, (text) => `${JSON.stringify({ ...JSON.parse(text), version }, null, 2)}\n`);
  }
  edit(repo, LOCK_FILE, (text) => {
    const lock = JSON.parse(text);
    lock.version = version;
    if (lock.packages?.[""]) lock.packages[""].version = version;
    if (lock.packages?.client) lock.packages.client.version = version;
    return `${JSON.stringify(lock, null, 2)}\n`;
  });
}

async function main(): Promise<number> {
  const options = parseArgs(process.argv.slice(2));
  const version = parseVersion(options.version);
  if (!version) throw new Error(`${options.version} is not a version: give MAJOR.MINOR.PATCH, e.g. 1.5.0`);
  const tag = `v${formatVersion(version)}`;
  const repo = repoTop(process.cwd());
  if (git(repo, ["status", "--porcelain", "--untracked-files=no"]) !== "") {
    throw new Refusal("the work tree has uncommitted changes: commit or stash them, then release");
  }
  if (git(repo, ["tag", "--list", tag]) !== "") throw new Refusal(`tag ${tag} exists already`);
  const base = options.since ? resolveBase(repo, options.since) : lastRelease(repo);
  if (!base) throw new Error("no earlier release to compare with: name one with --since <ref>");

  const scratch = scratchDir("spec-release-");
  try {
    const baseFile = join(scratch.dir, "base.json");
    const revisionFile = join(scratch.dir, "revision.json");
    bundleAtRef(repo, base.sha, baseFile);
    bundleWorkTree(repo, revisionFile);
    const rating = await rateSpecFiles(baseFile, revisionFile);
    console.log(`Since: ${base.ref} (${base.sha.slice(0, 12)}), ${base.reason}; info.version ${rating.baseVersion}\n`);
    console.log(changeTable(rating.changes));
    const released = parseVersion(rating.baseVersion);
    if (!released) throw new Error(`the last release has no MAJOR.MINOR.PATCH info.version (${rating.baseVersion})`);
    const bump = bumpBetween(released, version);
    if (bump === "lower" || bump === "none") {
      throw new Refusal(`${tag} is not after the last release ${rating.baseVersion}`);
    }
    if (rating.bump === undefined)
      throw new Refusal(`nothing changed in openapi/ since ${base.ref}: nothing to release`);
    if (rank(bump) < rank(rating.bump)) {
      const needed = formatVersion(nextVersion(released, rating.bump));
      throw new Refusal(
        `the changes need a ${rating.bump} release (${needed} or later); ${tag} is only a ${bump} bump`,
      );
    }

    const entry = releaseEntry(rating.changes);
    const label = tag;
    edit(repo, SPEC_FILE, (text) => setInfoVersion(text, formatVersion(version), SPEC_FILE));
    edit(repo, OVERLAY_FILE, (text) => setInfoVersion(text, formatVersion(version), OVERLAY_FILE));
    for (const { file, lang } of HISTORY_FILES) {
      edit(repo, file, (text) => appendHistoryRow(text, [label, options.date, entry[lang]]));
    }
    setPackageVersions(repo, formatVersion(version));
    // generated/ holds info.version (and the history) too: rebuild it with the repository's own build.
    execFileSync(process.execPath, [join(repo, "scripts", "build.mjs")], { cwd: repo, stdio: "pipe" });

    git(repo, ["add", "--", "openapi", "generated", "docs/guide", LOCK_FILE, ...PACKAGE_FILES]);
    git(repo, ["commit", "--quiet", "-m", `release ${tag}`, "-m", entry.en]);
    git(repo, ["tag", "--annotate", tag, "-m", `${tag}\n\n${entry.en}\n\n${entry.zh}`]);
    console.log(`\nReleased ${tag} (a ${bump} release; the changes need ${rating.bump}).`);
    console.log(`  en: ${entry.en}\n  zh: ${entry.zh}`);
    console.log(`Committed and tagged ${tag}. Push both when ready: git push && git push origin ${tag}`);
    return 0;
  } finally {
    scratch.dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`release: ${error.message}`);
    process.exitCode = error instanceof Refusal ? 1 : 2;
  },
);
