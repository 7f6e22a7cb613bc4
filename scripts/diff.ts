// `npm run diff -- [<base-ref>] [--json <file>]`: rates every change of openapi/ (work tree) against the spec at
// <base-ref> (default: the last release tag, else origin/main, else openapi/ before its latest change) and fails
// on a breaking change unless info.version's major was bumped. Policy: openapi/README.md, "Breaking changes".
// Exit codes: 0 passed, 1 a breaking change without a major bump, 2 the diff could not run.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundleAtRef, bundleWorkTree, repoTop, resolveBase, scratchDir } from "./governance/git-spec.ts";
import { rateSpecFiles, verdict } from "./governance/rate.ts";
import { changeTable, summaryLine } from "./governance/report.ts";

function parseArgs(argv: string[]): { ref: string | undefined; json: string | undefined } {
  let ref: string | undefined;
  let json: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--json") json = argv[++i];
    else if (arg === "--help" || arg === "-h") {
      console.log("usage: npm run diff -- [<base-ref>] [--json <file>]");
      process.exit(0);
    } else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}: use [<base-ref>] [--json <file>]`);
    else if (ref === undefined) ref = arg;
    else throw new Error(`one base ref only, got ${ref} and ${arg}`);
  }
  return { ref, json };
}

async function main(): Promise<number> {
  const { ref, json } = parseArgs(process.argv.slice(2));
  const repo = repoTop(process.cwd());
  const base = resolveBase(repo, ref);
  if (!base) {
    console.log("No earlier version of openapi/ to compare with (no release tag, no origin/main, no earlier commit).");
    return 0;
  }
  const scratch = scratchDir("spec-diff-");
  try {
    const baseFile = join(scratch.dir, "base.json");
    const revisionFile = join(scratch.dir, "revision.json");
    bundleAtRef(repo, base.sha, baseFile);
    bundleWorkTree(repo, revisionFile);
    const rating = await rateSpecFiles(baseFile, revisionFile);
    const result = verdict(rating);
    console.log(`Base: ${base.ref} (${base.sha.slice(0, 12)}), ${base.reason}; info.version ${rating.baseVersion}`);
    console.log(`Revision: the work tree; info.version ${rating.revisionVersion}\n`);
    console.log(changeTable(rating.changes));
    console.log(`\n${summaryLine(rating)}`);
    if (json) writeFileSync(json, `${JSON.stringify({ base, ...rating, verdict: result }, null, 2)}\n`);
    if (result.ok) {
      console.log(`PASSED: ${result.note}`);
      return 0;
    }
    console.log(`FAILED: ${result.problem}. To fix: ${result.fix}.`);
    return 1;
  } finally {
    scratch.dispose();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error) => {
    console.error(`diff: ${error.message}`);
    process.exitCode = 2;
  },
);
