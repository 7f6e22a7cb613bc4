// The docs site, built once for all test files of a run: the build goes to a folder keyed by a hash of its inputs
// (spec bundle, overlays, docs sources, Redocly version), and a lock folder keeps parallel test workers from
// building it twice. A change to any input gives a new folder, so a cached site is never stale.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDocs } from "../../docs/build.ts";
import { repoRoot } from "../helpers.ts";

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      if (name === "dist" || name === "node_modules") return [];
      return statSync(path).isDirectory() ? filesUnder(path) : [path];
    })
    .sort();
}

function inputsHash(): string {
  const hash = createHash("sha256");
  const inputs = [
    join(repoRoot, "generated", "openapi.json"),
    join(repoRoot, "node_modules", "@redocly", "cli", "package.json"),
    ...filesUnder(join(repoRoot, "openapi", "overlays")),
    ...filesUnder(join(repoRoot, "docs")),
  ];
  for (const file of inputs) hash.update(file).update(readFileSync(file));
  return hash.digest("hex").slice(0, 16);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The folder of a complete build of the current sources (building it if no worker has yet). */
export async function builtSite(): Promise<string> {
  const dir = join(tmpdir(), `rizzit-docs-${inputsHash()}`);
  const done = join(dir, ".complete");
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 120_000;
  while (!existsSync(done)) {
    try {
      mkdirSync(lock);
    } catch {
      // Another worker is building: wait for it (or take over if it died and left the lock behind).
      if (Date.now() > deadline) throw new Error(`docs build lock ${lock} held for over 2 minutes: remove it`);
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 90_000) rmSync(lock, { force: true, recursive: true });
      await sleep(250);
      continue;
    }
    try {
      if (!existsSync(done)) {
        await buildDocs({ outDir: dir });
        writeFileSync(done, new Date().toISOString());
      }
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  return dir;
}
