// Layer 3: the Arazzo workflows in openapi/arazzo/, run by `redocly respect` against the server, plus a page walk
// the runner does itself (Arazzo has no loops). Inputs (credentials included) reach Respect through the
// REDOCLY_CLI_RESPECT_INPUT environment variable, never the command line.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { arazzoDir } from "./assets.ts";
import type { ApiRequest, Auth } from "./http.ts";
import { runRedocly } from "./redocly.ts";
import { exchange, type RunContext, record, wants } from "./run-context.ts";
import { isObject, type JsonObject, type JsonValue } from "./spec.ts";

const sourceName = "rizzit";
/** Workflows declare the profiles they belong to; without the extension a workflow needs a stateful server. */
const profilesKey = "x-contract-profiles";

interface RespectCheck {
  name?: string;
  passed?: boolean;
  message?: string;
  condition?: string;
}
interface RespectStep {
  stepId?: string;
  status?: string;
  checks?: RespectCheck[];
  request?: { method?: string; url?: string; headers?: Record<string, string>; body?: JsonValue };
  response?: { statusCode?: number; body?: JsonValue };
}
interface RespectWorkflow {
  workflowId?: string;
  status?: string;
  executedSteps?: RespectStep[];
}
interface RespectOutput {
  files?: Record<string, { executedWorkflows?: RespectWorkflow[] }>;
}

export async function runWorkflowLayer(ctx: RunContext, env: NodeJS.ProcessEnv): Promise<void> {
  const { client, options } = ctx;
  const full = options.profile === "full";
  const files = readdirSync(arazzoDir)
    .filter((f) => f.endsWith(".arazzo.yaml"))
    .sort()
    .map((f) => join(arazzoDir, f))
    .filter((f) => workflowProfiles(f).includes(options.profile))
    // A workflow that calls an excluded operation is left out whole.
    .filter((f) => ![...(options.excludeOperations ?? [])].some((id) => readFileSync(f, "utf8").includes(`.${id}\n`)));
  const inputs: JsonObject = {
    clientId: client.credentials.main.clientId,
    clientSecret: client.credentials.main.clientSecret,
    tenantId: client.credentials.tenantId,
    requestId: `contract-${options.seed}-${Date.now()}`,
    ...redeemInputs(ctx, env),
  };
  if (files.some((f) => readFileSync(f, "utf8").includes(".pageGoodsQc\n")))
    Object.assign(inputs, await pageInputs(ctx));
  if (wants(ctx, "arazzo_workflow") && files.length > 0) await runRespect(ctx, files, inputs);
  if (full && wants(ctx, "pagination_walk") && !options.excludeOperations?.has("pageGoodsQc")) await walkAllPages(ctx);
}

/** The profiles of a file's workflows (every file here holds one workflow). */
function workflowProfiles(file: string): string[] {
  const doc = parseYaml(readFileSync(file, "utf8")) as { workflows?: { [profilesKey]?: string[] }[] };
  return (doc.workflows ?? []).flatMap((w) => w[profilesKey] ?? ["full"]);
}

/** The spec's redemption example, unless the platform team names a code and member of its own. */
function redeemInputs(ctx: RunContext, env: NodeJS.ProcessEnv): JsonObject {
  const op = ctx.spec.operations.find((o) => o.path.endsWith("/redeem-code/redeem"));
  const example = op?.requestExamples[0] ?? {};
  return {
    redeemCode: env.CONTRACT_REDEEM_CODE ?? String(example.code ?? ""),
    email: env.CONTRACT_REDEEM_EMAIL ?? String(example.email ?? ""),
  };
}

/** A goods item with QC records and a page size that makes three pages cover them. */
async function pageInputs(ctx: RunContext): Promise<JsonObject> {
  const { client } = ctx;
  const token = await client.issueToken(client.credentials.main, "goods:qc:read");
  const page = async (body: JsonObject) => {
    const res = await client.send(pageRequest(ctx, { kind: "bearer", token }, body));
    return isObject(res.json) && isObject(res.json.data) ? res.json.data : {};
  };
  const first = await page({ pageNo: 1, pageSize: 1 });
  const record0 = Array.isArray(first.list) ? first.list[0] : undefined;
  const goodsId = isObject(record0) && typeof record0.goodsId === "string" ? record0.goodsId : "123456";
  const filtered = await page({ pageNo: 1, pageSize: 1, goodsId });
  const total = typeof filtered.total === "number" ? filtered.total : 0;
  return { goodsId, pageSize: Math.min(100, Math.max(1, Math.ceil(total / 3))) };
}

function pageRequest(ctx: RunContext, auth: Auth, body: JsonObject): ApiRequest {
  return {
    method: "POST",
    path: "/open-api/goods/qc-page",
    tenantId: ctx.client.credentials.tenantId,
    auth,
    contentType: "application/json",
    body: JSON.stringify(body),
  };
}

async function runRespect(ctx: RunContext, files: string[], inputs: JsonObject): Promise<void> {
  const { client } = ctx;
  const dir = mkdtempSync(join(tmpdir(), "contract-respect-"));
  const jsonPath = join(dir, "respect.json");
  // Copies of the workflows whose source description is the spec this run checks (the bundled one or --spec),
  // wherever the package is installed.
  for (const file of files) {
    const doc = parseYaml(readFileSync(file, "utf8")) as { sourceDescriptions?: { type?: string; url?: string }[] };
    for (const source of doc.sourceDescriptions ?? []) if (source.type === "openapi") source.url = ctx.spec.path;
    writeFileSync(join(dir, basename(file)), stringifyYaml(doc));
  }
  const args = [
    ...files.map((f) => basename(f)),
    "--server",
    `${sourceName}=${client.baseUrl}`,
    "--json-output",
    jsonPath,
  ];
  const output = await runRedocly(["respect", ...args], {
    cwd: dir,
    env: { REDOCLY_CLI_RESPECT_INPUT: JSON.stringify(inputs) },
  });
  let parsed: RespectOutput;
  try {
    parsed = JSON.parse(readFileSync(jsonPath, "utf8")) as RespectOutput;
  } catch {
    record(ctx, "workflow", "-", undefined, [
      {
        check: "arazzo_workflow",
        ok: false,
        message: client.redactor.redact(
          `redocly respect wrote no results (exit ${output.code}): ${output.text.replace(/\s+/g, " ").slice(-600)}`,
        ),
        rule: arazzoDir,
      },
    ]);
    return;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  for (const [file, result] of Object.entries(parsed.files ?? {})) {
    for (const workflow of result.executedWorkflows ?? []) {
      const id = workflow.workflowId ?? file;
      // A retried step (429, see failureActions) appears once per attempt: only its last attempt counts.
      const lastAttempts = new Map<string, RespectStep>();
      for (const step of workflow.executedSteps ?? []) lastAttempts.set(step.stepId ?? "", step);
      const failedSteps = [...lastAttempts.values()].filter((s) => (s.checks ?? []).some((c) => c.passed === false));
      const rerun = `REDOCLY_CLI_RESPECT_INPUT="${shellInputs(inputs)}" npx @redocly/cli respect ${join(arazzoDir, basename(file))} --workflow ${id} --server ${sourceName}=${client.baseUrl} --verbose`;
      if (failedSteps.length === 0 && lastAttempts.size > 0) {
        ctx.results.add({ layer: "workflow", check: "arazzo_workflow", operation: id, ok: true });
        continue;
      }
      for (const step of failedSteps.length > 0 ? failedSteps : [{ stepId: "(workflow)", checks: [] }]) {
        const failed = (step.checks ?? []).filter((c) => c.passed === false);
        const request = step.request ? stepRequest(ctx, step.request) : undefined;
        ctx.results.add({
          layer: "workflow",
          check: "arazzo_workflow",
          operation: id,
          ok: false,
          message: client.redactor.redact(
            `step ${step.stepId} answered HTTP ${step.response?.statusCode ?? "?"}; failed: ${failed.map((c) => c.condition ?? c.name).join("; ") || workflow.status}; body ${JSON.stringify(step.response?.body ?? null).slice(0, 200)}`,
          ),
          rule: `${basename(file)} (workflow ${id}, step ${step.stepId})`,
          curl: client.redactor.redact(
            `${rerun}\n# the failing step alone:\n${request ? stepCurl(ctx, request) : "(no request)"}`,
          ),
        });
      }
    }
  }
  ctx.log(`workflow: redocly respect ran ${files.length} file(s)`);
}

/** Respect masks the token it sends in a form body: name it as $TOKEN, obtained first. */
function stepCurl(ctx: RunContext, request: ApiRequest): string {
  const curl = ctx.client.curl(request);
  if (!curl.includes("token=********")) return curl;
  return [
    ...ctx.client.tokenRecipe(ctx.client.credentials.main),
    curl.replace("--data-raw 'token=********'", '--data-urlencode "token=$TOKEN"'),
  ].join("\n");
}

/** The inputs as a double-quoted shell string, credentials as variable references. */
function shellInputs(inputs: JsonObject): string {
  const placeholders = { clientId: "@ID@", clientSecret: "@SECRET@", tenantId: "@TENANT@" };
  return JSON.stringify({ ...inputs, ...placeholders })
    .replaceAll('"', '\\"')
    .replace("@ID@", "$OPENAPI_CLIENT_ID")
    .replace("@SECRET@", "$OPENAPI_CLIENT_SECRET")
    .replace("@TENANT@", "$OPENAPI_TENANT_ID");
}

/** Respect masks secrets in its log ("********"); rebuild the request with credentials as variable references. */
function stepRequest(ctx: RunContext, req: NonNullable<RespectStep["request"]>): ApiRequest {
  const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  const creds = ctx.client.credentials;
  let auth: Auth = { kind: "none" };
  if (headers.authorization?.startsWith("Basic")) auth = { kind: "basic", client: creds.main };
  else if (headers.authorization?.startsWith("Bearer")) {
    auth = { kind: "bearer", token: { value: "", scope: "", recipe: ctx.client.tokenRecipe(creds.main) } };
  }
  const url = new URL(req.url ?? ctx.client.baseUrl);
  const contentType = headers["content-type"];
  const body =
    req.body === undefined
      ? undefined
      : contentType?.includes("x-www-form-urlencoded") && isObject(req.body)
        ? new URLSearchParams(Object.entries(req.body).map(([k, v]) => [k, String(v)])).toString()
        : JSON.stringify(req.body);
  return {
    method: (req.method ?? "POST").toUpperCase(),
    path: url.pathname,
    tenantId: headers["tenant-id"] ?? null,
    auth,
    contentType,
    body,
  };
}

/**
 * Walks every page of the unfiltered QC records with the largest page size: each page answers code 0, the same
 * total, a full page except the last, no record twice, and the page past the last is empty.
 */
async function walkAllPages(ctx: RunContext): Promise<void> {
  const { client, spec } = ctx;
  const op = spec.operations.find((o) => o.path === "/open-api/goods/qc-page");
  if (!op) return;
  const token = await client.issueToken(client.credentials.main, "goods:qc:read");
  const pageSize = 100;
  const seen = new Set<string>();
  const rule = `${op.pointer} (description: walk pageNo 1, 2, ... until pageNo * pageSize >= total)`;
  let total: number | undefined;
  for (let pageNo = 1; pageNo <= 1000; pageNo++) {
    const request = pageRequest(ctx, { kind: "bearer", token }, { pageNo, pageSize });
    const res = await exchange(ctx, "workflow", op, request);
    const data = isObject(res?.json) && isObject(res.json.data) ? res.json.data : undefined;
    const list = Array.isArray(data?.list) ? data.list : undefined;
    const problem = (message: string) =>
      record(ctx, "workflow", op.operationId, request, [{ check: "pagination_walk", ok: false, message, rule }]);
    if (!data || !list || typeof data.total !== "number") return problem(`page ${pageNo} carries no list and total`);
    total ??= data.total;
    if (data.total !== total) return problem(`page ${pageNo} says total ${data.total}, page 1 said ${total}`);
    const expected = Math.max(0, Math.min(pageSize, total - (pageNo - 1) * pageSize));
    if (list.length !== expected)
      return problem(`page ${pageNo} holds ${list.length} records, expected ${expected} of ${total}`);
    for (const item of list) {
      const key = JSON.stringify(item);
      if (seen.has(key)) return problem(`page ${pageNo} repeats a record of an earlier page: ${key.slice(0, 120)}`);
      seen.add(key);
    }
    if (list.length === 0) {
      record(ctx, "workflow", op.operationId, request, [{ check: "pagination_walk", ok: true }]);
      ctx.log(`workflow: walked ${pageNo - 1} page(s) of qc-page, ${seen.size} records, total ${total}`);
      return;
    }
  }
}
