// Every code sample the docs show (x-codeSamples of the built bundle) runs against the stateful sandbox with the
// demo credentials: cURL with bash, Python with requests, Java as a single-file source launch, TypeScript with tsx
// and the kit's client. Each must exit 0 and answer code 0 or one of the operation's documented business errors.
import { execFile } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeSample, javaClassName, type SampleLang } from "../../docs/code-samples.ts";
import { type JsonObject, listOperations, type OperationFacts } from "../../docs/operations.ts";
import { codeOnly } from "../../docs/sample-comments.ts";
import { bin, repoRoot, startSandbox } from "../helpers.ts";
import { builtSite } from "./built-site.ts";

const run = promisify(execFile);
const samplesDir = join(repoRoot, "test-results", "docs", "samples");
const DEMO = { clientId: "sandbox-demo", clientSecret: "sandbox-demo-secret", tenantId: "1" };

interface Outcome {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What a sample printed last: the {code, data, msg} envelope it got (or the client's data / business error). */
function lastEnvelope(stdout: string): { code: unknown } | null {
  const line = stdout.trim().split("\n").pop() ?? "";
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && "code" in value ? (value as { code: unknown }) : null;
  } catch {
    return null;
  }
}

/** Why a sample's run is not acceptable, or null when it is (exit 0, code 0 or a documented business error). */
function verdict(op: OperationFacts, outcome: Outcome): string | null {
  if (outcome.exitCode !== 0) return `exit ${outcome.exitCode}: ${outcome.stderr.slice(-800)}`;
  const envelope = lastEnvelope(outcome.stdout);
  if (envelope === null) return `no envelope printed: ${outcome.stdout.slice(-400)}`;
  const documented = [0, ...op.businessErrors.map((e) => e.code)];
  return documented.includes(envelope.code as number)
    ? null
    : `code ${String(envelope.code)} is neither 0 nor a business error of ${op.operationId}: ${outcome.stdout.slice(-400)}`;
}

const FILE_OF: Record<SampleLang, (op: OperationFacts) => string> = {
  cURL: () => "sample.sh",
  Python: () => "sample.py",
  Java: (op) => `${javaClassName(op)}.java`,
  TypeScript: () => "sample.ts",
};

/** How the TypeScript samples are compiled: strict, with "@rizzit/open-api-client" mapped to the kit's client source. */
const sampleCompilerOptions = {
  target: "ES2022",
  module: "NodeNext",
  moduleResolution: "NodeNext",
  strict: true,
  paths: { "@rizzit/open-api-client": [join(repoRoot, "client", "index.ts")] },
};

describe("the docs' code samples, run against the sandbox", () => {
  let baseUrl: string;
  let stopSandbox: () => Promise<void>;
  let operations: OperationFacts[];

  beforeAll(async () => {
    const site = await builtSite();
    const bundle = JSON.parse(readFileSync(join(site, "downloads", "openapi.en.json"), "utf8")) as JsonObject;
    const zhBundle = JSON.parse(readFileSync(join(site, "downloads", "openapi.zh-CN.json"), "utf8")) as JsonObject;
    operations = listOperations(bundle);
    // Code is code: the Chinese page shows the very same samples, only their comments are translated.
    const code = (ops: OperationFacts[]) =>
      ops.map((op) => (op.node["x-codeSamples"] as unknown as CodeSample[]).map((c) => codeOnly(c.source)));
    expect(code(listOperations(zhBundle))).toEqual(code(operations));
    const sandbox = await startSandbox();
    baseUrl = sandbox.baseUrl;
    stopSandbox = sandbox.stop;
    rmSync(samplesDir, { recursive: true, force: true });
    mkdirSync(samplesDir, { recursive: true });
    // The TypeScript samples import "@rizzit/open-api-client": map it to the kit's client source.
    writeFileSync(join(samplesDir, "tsconfig.json"), JSON.stringify({ compilerOptions: sampleCompilerOptions }));
  });
  afterAll(async () => {
    await stopSandbox?.();
  });

  async function accessToken(scope: string | null): Promise<string> {
    const form = new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) });
    const response = await fetch(`${baseUrl}/open-api/system/oauth2/token`, {
      method: "POST",
      headers: {
        authorization: `Basic ${Buffer.from(`${DEMO.clientId}:${DEMO.clientSecret}`).toString("base64")}`,
        "tenant-id": DEMO.tenantId,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: form,
    });
    const body = (await response.json()) as { data: { access_token: string } };
    return body.data.access_token;
  }

  async function runSample(op: OperationFacts, sample: CodeSample, env: NodeJS.ProcessEnv = {}): Promise<Outcome> {
    const dir = join(samplesDir, op.operationId);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, FILE_OF[sample.lang](op));
    writeFileSync(file, `${sample.source}\n`);
    const command: Record<SampleLang, [string, string[]]> = {
      cURL: ["bash", ["-eu", "-o", "pipefail", file]],
      Python: ["python3", [file]],
      Java: ["java", [file]],
      TypeScript: [bin("tsx"), ["--tsconfig", join(samplesDir, "tsconfig.json"), file]],
    };
    const [cmd, args] = command[sample.lang];
    const fullEnv = {
      ...process.env,
      OPENAPI_BASE_URL: baseUrl,
      OPENAPI_CLIENT_ID: DEMO.clientId,
      OPENAPI_CLIENT_SECRET: DEMO.clientSecret,
      OPENAPI_TENANT_ID: DEMO.tenantId,
      ...env,
    };
    try {
      const { stdout, stderr } = await run(cmd, args, { cwd: dir, env: fullEnv, timeout: 60_000 });
      return { exitCode: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { exitCode: typeof e.code === "number" ? e.code : 1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
    }
  }

  const samplesOf = (op: OperationFacts): CodeSample[] => op.node["x-codeSamples"] as unknown as CodeSample[];

  for (const lang of ["cURL", "Python", "Java", "TypeScript"] as const) {
    it(`${lang}: every operation's sample succeeds (code 0 or a documented business error)`, async () => {
      const failures: string[] = [];
      for (const op of operations) {
        const sample = samplesOf(op).find((s) => s.lang === lang);
        if (!sample) {
          failures.push(`${op.operationId}: no ${lang} sample`);
          continue;
        }
        // The cURL samples of business operations (and of revocation) send a token from the environment.
        const env =
          lang === "cURL" && (op.auth === "bearer" || "token" in op.requestExample)
            ? { ACCESS_TOKEN: await accessToken(op.scope) }
            : {};
        const outcome = await runSample(op, sample, env);
        const problem = verdict(op, outcome);
        if (problem) failures.push(`${op.operationId}: ${problem}`);
        // What each sample answered, for a reader of test-results/ (e.g. 0, or 900 for a repeated redemption).
        appendFileSync(
          join(samplesDir, "results.txt"),
          `${lang}\t${op.operationId}\texit ${outcome.exitCode}\tcode ${String(lastEnvelope(outcome.stdout)?.code)}\n`,
        );
      }
      expect(failures).toEqual([]);
    }, 240_000);
  }

  it("the checker rejects a sample that answers an undocumented code (here a 401 for a bad token)", async () => {
    const op = operations.find((o) => o.operationId === "getGoodsDetail");
    const sample = op && samplesOf(op).find((s) => s.lang === "cURL");
    if (!op || !sample) throw new Error("getGoodsDetail has no cURL sample");
    const outcome = await runSample(op, sample, { ACCESS_TOKEN: "not-a-token" });
    expect(verdict(op, outcome)).toMatch(/code 401 is neither 0 nor a business error of getGoodsDetail/);
    expect(verdict(op, { exitCode: 3, stdout: "", stderr: "boom" })).toMatch(/^exit 3/);
  });

  it("the TypeScript samples type-check against the client's own types (strict)", async () => {
    const hasTsSamples = operations.every((op) => existsSync(join(samplesDir, op.operationId, "sample.ts")));
    expect(hasTsSamples, "run after the TypeScript samples were written").toBe(true);
    const config = join(samplesDir, "tsconfig.check.json");
    writeFileSync(
      config,
      JSON.stringify({
        compilerOptions: {
          ...sampleCompilerOptions,
          noEmit: true,
          skipLibCheck: true,
          allowImportingTsExtensions: true,
          types: ["node"],
          typeRoots: [join(repoRoot, "node_modules", "@types")],
        },
        include: ["*/sample.ts"],
      }),
    );
    const result = await run(bin("tsc"), ["-p", config], { cwd: samplesDir }).then(
      () => "",
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe("");
  }, 120_000);

  it("every sample is there: four languages for each of the nine operations", () => {
    expect(operations).toHaveLength(9);
    for (const op of operations)
      expect(samplesOf(op).map((s) => s.lang)).toEqual(["cURL", "TypeScript", "Python", "Java"]);
    expect(existsSync(samplesDir)).toBe(true);
  });
});
