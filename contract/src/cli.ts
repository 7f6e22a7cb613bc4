#!/usr/bin/env node
// `rizzit-contract --base-url <url> [options]` (in the kit: `npm run contract -- ...`). Checks any server (a
// gateway, the sandbox, Prism) against the bundled spec, or --spec, in three layers (Dredd, property-based checks,
// Arazzo workflows). Credentials come from the environment (OPENAPI_CLIENT_ID, ...).
// Exit code: 0 every check passed; 1 a check failed (the server breaks the contract); 2 the run could not start or
// cannot judge the server (bad options, missing environment, unreachable server, credentials refused), with one
// line on stderr saying what and what to do.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { CannotJudge } from "./cannot-judge.ts";
import { junitXml } from "./junit.ts";
import { failureReport, summaryTable } from "./report.ts";
import type { Layer } from "./results.ts";
import type { Profile, RunOptions } from "./run-context.ts";
import { allLayers, runContract } from "./runner.ts";

const usage = `usage: rizzit-contract --base-url <url> [--spec <file|url>] [--profile full|mock] [--junit <file>]
       [--seed <n>] [--cases <n>] [--layers dredd,property,workflow] [--checks a,b] [--operations opId,...]
       [--exclude-operations opId,...] [--concurrency <n>]

  --base-url     the server to check, e.g. https://api-qa.rizzitbuy.com or http://127.0.0.1:4010
  --spec         check against this OpenAPI file or URL instead of the spec bundled with the runner
  --profile      full (default): everything; mock: what a stateless mock such as Prism can pass
  --junit        also write JUnit XML to this file
  --seed         seed of the generated cases (default: random, printed so a run can be repeated)
  --cases        generated cases per operation, half valid and half invalid (default 100)
  --layers       which layers to run (default all three)
  --checks       run and report only these checks
  --operations   only these operationIds (Dredd and property layers)
  --exclude-operations  operationIds no layer may call, e.g. redeemCouponCode against production
  --concurrency  requests in flight at once (default 8)

environment: OPENAPI_CLIENT_ID, OPENAPI_CLIENT_SECRET, OPENAPI_TENANT_ID (an application holding every scope),
             optionally OPENAPI_LIMITED_CLIENT_ID, OPENAPI_LIMITED_CLIENT_SECRET (a second one with fewer scopes)
exit code:   0 all checks passed, 1 contract violations, 2 could not start or cannot judge (one line says why)`;

/** Exit 2 with one line: what is wrong and what to do. */
function cannotJudge(message: string): never {
  process.stderr.write(`contract: ${message.replace(/\s*\n\s*/g, " ")}\n`);
  process.exit(2);
}
function fail(message: string): never {
  cannotJudge(`${message} (rizzit-contract --help lists the options)`);
}

const list = (value: string | undefined) =>
  value
    ? new Set(
        value
          .split(",")
          .map((s) => s.trim())
          .filter(Boolean),
      )
    : undefined;

function parseOptions(argv: string[]): RunOptions & { junit?: string } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        "base-url": { type: "string" },
        spec: { type: "string" },
        profile: { type: "string", default: "full" },
        junit: { type: "string" },
        seed: { type: "string" },
        cases: { type: "string", default: "100" },
        layers: { type: "string" },
        checks: { type: "string" },
        operations: { type: "string" },
        "exclude-operations": { type: "string" },
        concurrency: { type: "string", default: "8" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail((error as Error).message);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  const baseUrl = v["base-url"];
  if (typeof baseUrl !== "string" || !/^https?:\/\/[^\s]+$/.test(baseUrl)) {
    fail("--base-url is required and must be an http(s) URL");
  }
  const profile = v.profile as string;
  if (profile !== "full" && profile !== "mock") fail(`--profile must be full or mock, not "${profile}"`);
  const int = (name: string, value: unknown, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}, not "${String(value)}"`);
    return n;
  };
  const seed = v.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : int("seed", v.seed, 0);
  const layers = list(v.layers as string | undefined) ?? new Set(allLayers);
  for (const layer of layers)
    if (!allLayers.includes(layer as Layer)) fail(`unknown layer "${layer}" (use ${allLayers.join(", ")})`);
  return {
    baseUrl,
    spec: v.spec as string | undefined,
    profile: profile as Profile,
    seed,
    cases: int("cases", v.cases, 0),
    layers: layers as Set<Layer>,
    checks: list(v.checks as string | undefined),
    operations: list(v.operations as string | undefined),
    excludeOperations: list(v["exclude-operations"] as string | undefined),
    concurrency: int("concurrency", v.concurrency, 1),
    junit: v.junit as string | undefined,
  };
}

const options = parseOptions(process.argv.slice(2));
const log = (line: string) => process.stderr.write(`${line}\n`);
let summary: Awaited<ReturnType<typeof runContract>>;
try {
  summary = await runContract(options, process.env, log);
} catch (error) {
  if (error instanceof CannotJudge) cannotJudge(error.message);
  cannotJudge(`the runner itself failed, which is a bug in it: ${(error as Error).stack ?? String(error)}`);
}
const { results, seconds } = summary;
process.stdout.write(`\n${summaryTable(results)}\n`);
const failed = results.failed;
const skipped = results.outcomes.filter((o) => o.skipped !== undefined).length;
if (failed.length > 0) process.stdout.write(`${failureReport(results)}\n`);
if (options.junit) {
  const path = resolve(options.junit);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, junitXml(results, seconds));
  log(`contract: JUnit XML written to ${path}`);
}
process.stdout.write(
  `\n${failed.length === 0 ? "PASSED" : "FAILED"}: ${results.outcomes.length - failed.length - skipped} checks passed, ` +
    `${failed.length} failed${skipped > 0 ? `, ${skipped} skipped (see above)` : ""} in ${seconds.toFixed(1)} s (seed ${options.seed})\n`,
);
process.exit(failed.length === 0 ? 0 : 1);
