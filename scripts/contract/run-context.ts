// What every layer of one run shares: the spec, the HTTP client, the results, and the run's options.
import { type CheckResult, responseChecks } from "./checks.ts";
import type { ApiClient, ApiRequest, ApiResponse } from "./http.ts";
import type { Layer, Results } from "./results.ts";
import type { LoadedSpec, Operation } from "./spec.ts";

export type Profile = "full" | "mock";

export interface RunOptions {
  baseUrl: string;
  profile: Profile;
  seed: number;
  /** Generated cases per operation in the property layer (half valid, half invalid). */
  cases: number;
  layers: Set<Layer>;
  /** When set, only these checks run and are reported. */
  checks?: Set<string>;
  operations?: Set<string>;
  concurrency: number;
}

export interface RunContext {
  options: RunOptions;
  spec: LoadedSpec;
  client: ApiClient;
  results: Results;
  log: (line: string) => void;
}

export function wants(ctx: RunContext, check: string): boolean {
  return !ctx.options.checks || ctx.options.checks.has(check);
}

export function selectedOperations(ctx: RunContext): Operation[] {
  const only = ctx.options.operations;
  return ctx.spec.operations.filter((op) => !only || only.has(op.operationId));
}

/** Records check results of one exchange; failures carry the curl command that reproduces it. */
export function record(
  ctx: RunContext,
  layer: Layer,
  operation: string,
  request: ApiRequest | undefined,
  checks: CheckResult[],
): void {
  for (const c of checks) {
    if (!wants(ctx, c.check)) continue;
    ctx.results.add({
      layer,
      check: c.check,
      operation,
      ok: c.ok,
      message: c.ok ? undefined : ctx.client.redactor.redact(c.message ?? ""),
      rule: c.rule,
      curl: c.ok || !request ? undefined : ctx.client.redactor.redact(ctx.client.curl(request)),
    });
  }
}

/** Sends a request, runs the response checks and the expectation of the case, records all of them. */
export async function exchange(
  ctx: RunContext,
  layer: Layer,
  op: Operation,
  request: ApiRequest,
  expectation?: (res: ApiResponse) => CheckResult,
): Promise<ApiResponse | undefined> {
  let res: ApiResponse;
  try {
    res = await ctx.client.send(request);
  } catch (error) {
    record(ctx, layer, op.operationId, request, [
      {
        check: "not_a_server_error",
        ok: false,
        message: `no HTTP answer: ${(error as Error).message}`,
        rule: "the server must answer every request",
      },
    ]);
    return undefined;
  }
  const checks = responseChecks(ctx.spec, op, res, ctx.options.checks);
  if (expectation) checks.unshift(expectation(res));
  record(ctx, layer, op.operationId, request, checks);
  return res;
}

/** Runs tasks with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  });
  await Promise.all(workers);
}
