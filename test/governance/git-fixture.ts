// Scratch git repositories for the governance tests: a fresh clone of this repository as CI has it (no remote,
// no tags), with this repository's node_modules linked in. Tests never tag or commit in the real repository.
import { execFileSync } from "node:child_process";
import { readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { scratchDir } from "../../scripts/governance/git-spec.ts";
import { bin, type Json, repoRoot } from "../helpers.ts";

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** Commits as a fixed test identity, whatever the machine's git config holds. */
export const commit = (cwd: string, message: string): string => {
  git(cwd, "-c", "user.name=Governance Test", "-c", "user.email=test@example.com", "commit", "-qam", message);
  return git(cwd, "rev-parse", "HEAD");
};

export function freshClone(): { dir: string; dispose: () => void } {
  const scratch = scratchDir("governance-clone-");
  const dir = join(scratch.dir, "repo");
  execFileSync("git", ["clone", "--quiet", "--no-tags", repoRoot, dir]);
  git(dir, "remote", "remove", "origin");
  git(dir, "config", "user.name", "Governance Test");
  git(dir, "config", "user.email", "test@example.com");
  symlinkSync(join(repoRoot, "node_modules"), join(dir, "node_modules"));
  return { dir, dispose: scratch.dispose };
}

/** Edits a YAML file of the clone through its parsed value (formatting is not the point in a scratch clone). */
export function editYaml(dir: string, file: string, change: (value: Json) => void): void {
  const path = join(dir, file);
  const value = parse(readFileSync(path, "utf8"));
  change(value);
  writeFileSync(path, stringify(value));
}

/** Runs one of this repository's scripts (scripts/<name>.ts) with `cwd` as the repository it works on. */
export function runScript(cwd: string, name: string, args: string[]): { code: number; out: string } {
  try {
    const out = execFileSync(bin("tsx"), [join(repoRoot, "scripts", `${name}.ts`), ...args], {
      cwd,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, REDOCLY_TELEMETRY: "off" },
    });
    return { code: 0, out };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { code: failed.status, out: `${failed.stdout}${failed.stderr}` };
  }
}
