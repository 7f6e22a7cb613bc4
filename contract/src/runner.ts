// One contract run against one server: the preflight, then the three layers in order, sharing one client and one
// result list. Used by the CLI (cli.ts), the tests and the benchmark. Throws `CannotJudge` when the run cannot
// start (environment, --spec) or cannot judge the server (unreachable, credentials refused).
import { CannotJudge } from "./cannot-judge.ts";
import { checkNames, layerCheckNames } from "./checks.ts";
import { Redactor, readCredentials } from "./credentials.ts";
import { runDreddLayer } from "./dredd.ts";
import { ApiClient } from "./http.ts";
import { preflight } from "./preflight.ts";
import { runPropertyLayer } from "./property.ts";
import { type Layer, Results } from "./results.ts";

export type { Layer };

import type { RunContext, RunOptions, RunStats } from "./run-context.ts";
import { loadSpec } from "./spec.ts";
import { prepareSpec } from "./spec-source.ts";
import { runWorkflowLayer } from "./workflows.ts";

export interface RunSummary extends RunStats {
  results: Results;
  seconds: number;
  /** HTTP requests the runner itself sent (Dredd's and Respect's are not counted). */
  requests: number;
}

export const allLayers: Layer[] = ["dredd", "property", "workflow"];

export async function runContract(
  options: RunOptions,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = () => {},
): Promise<RunSummary> {
  const started = performance.now();
  const redactor = new Redactor();
  const credentials = readCredentials(env);
  const client = new ApiClient(options.baseUrl.replace(/\/+$/, ""), credentials, redactor);
  await preflight(client);
  const source = await prepareSpec(options.spec);
  try {
    const ctx: RunContext = {
      options,
      stats: { generatedCases: 0, layerSeconds: {} },
      spec: loadSpec(source.path),
      client,
      results: new Results(),
      log: (line) => log(redactor.redact(line)),
    };
    checkNamesGiven(ctx);
    ctx.log(
      `contract: ${options.baseUrl} against the ${source.label}, profile ${options.profile}, seed ${options.seed} ` +
        `(repeat with --seed ${options.seed}), ${options.cases} cases per operation, layers ${[...options.layers].join(", ")}`,
    );
    return await runLayers(ctx, env, started);
  } finally {
    source.cleanup();
  }
}

/** A misspelt operationId or check would silently run nothing and pass: refuse it (exit 2). */
function checkNamesGiven(ctx: RunContext): void {
  const operationIds = ctx.spec.operations.map((op) => op.operationId);
  const known: [string, Set<string> | undefined, string[]][] = [
    ["--operations", ctx.options.operations, operationIds],
    ["--exclude-operations", ctx.options.excludeOperations, operationIds],
    ["--checks", ctx.options.checks, [...checkNames, ...layerCheckNames]],
  ];
  for (const [option, given, names] of known) {
    const unknown = [...(given ?? [])].filter((name) => !names.includes(name));
    if (unknown.length > 0) {
      throw new CannotJudge(`${option}: unknown ${unknown.join(", ")}; use any of ${names.join(", ")}`);
    }
  }
}

async function runLayers(ctx: RunContext, env: NodeJS.ProcessEnv, started: number): Promise<RunSummary> {
  const { options, stats, results, client } = ctx;
  const guard = async (layer: Layer, run: () => Promise<void>) => {
    if (!options.layers.has(layer)) return;
    const before = results.outcomes.length;
    const t0 = performance.now();
    try {
      await run();
    } catch (error) {
      results.add({
        layer,
        check: `${layer}_layer`,
        operation: "-",
        ok: false,
        message: client.redactor.redact(`the ${layer} layer could not run: ${(error as Error).message}`),
      });
    }
    const mine = results.outcomes.slice(before);
    stats.layerSeconds[layer] = (performance.now() - t0) / 1000;
    ctx.log(
      `${layer}: done in ${(stats.layerSeconds[layer] ?? 0).toFixed(1)} s, ${mine.length} checks, ${mine.filter((o) => !o.ok).length} failed`,
    );
  };
  await guard("dredd", () => runDreddLayer(ctx, env));
  await guard("property", () => runPropertyLayer(ctx));
  await guard("workflow", () => runWorkflowLayer(ctx, env));
  if (client.rateLimited > 0) {
    ctx.log(
      `note: the server answered 429 ${client.rateLimited} time(s); those requests were resent after Retry-After`,
    );
  }
  return { ...stats, results, seconds: (performance.now() - started) / 1000, requests: client.sent };
}
