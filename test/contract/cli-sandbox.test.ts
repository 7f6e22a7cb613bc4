// The runner as a platform team runs it, against the stateful sandbox (full profile): the whole run passes,
// exclusions hold in every layer, a rate-limited application is waited out, and bad input stops the run.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, repoRoot, startSandbox } from "../helpers.ts";
import { engines, storeLocation } from "../sandbox/stores.ts";
import { credentials, runCli, secret } from "./run-cli.ts";

const outDir = mkdtempSync(join(tmpdir(), "contract-cli-sandbox-"));

// The whole profile runs against the sandbox on each store engine: SQLite, and PostgreSQL as a hosted sandbox runs.
describe.each(engines)("contract CLI against the sandbox on %s (full profile)", (engine) => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ dbPath: await storeLocation(engine), env: { SANDBOX_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("passes every check of every layer with 100 generated cases per operation", async () => {
    const junit = join(outDir, `full-${engine}.xml`);
    const run = await runCli(["--base-url", sandbox.baseUrl, "--seed", "7", "--junit", junit], credentials);
    expect(run.stdout, `${run.stdout}\n${run.stderr}`).toContain("PASSED");
    expect(run.code).toBe(0);
    for (const check of [
      "use_after_free",
      "tenant_mismatch",
      "insufficient_scope",
      "ignored_auth",
      "missing_required_header",
      "unsupported_method",
      "envelope_code_matches_status",
      "pagination_walk",
      "arazzo_workflow",
    ]) {
      expect(run.stdout).toMatch(new RegExp(`\\| ${check} +\\|`));
    }
    expect(readFileSync(junit, "utf8")).toMatch(/failures="0"/);
    expect(`${run.stdout}${run.stderr}`).not.toContain(secret);
    expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
  });

  it("calls no excluded operation in any layer (--exclude-operations)", async () => {
    // The JUnit file names every (check, operation) that ran; the summary names only failing and skipped ones.
    const junit = join(outDir, `excluded-${engine}.xml`);
    const run = await runCli(
      ["--base-url", sandbox.baseUrl, "--seed", "8", "--cases", "4", "--exclude-operations", "redeemCouponCode"].concat(
        ["--junit", junit],
      ),
      credentials,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/\| dredd_transaction +\|/);
    const xml = readFileSync(junit, "utf8");
    expect(xml).toContain("dredd_transaction[getGoodsDetail]");
    expect(xml).toContain("tokenThenDetail");
    expect(xml).not.toContain("redeemCouponCode");
    expect(xml).not.toContain("redeemReplay");
  });
});

describe("contract CLI: skipped checks, --spec and refused credentials", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  const { OPENAPI_LIMITED_CLIENT_ID: _id, OPENAPI_LIMITED_CLIENT_SECRET: _secret, ...mainOnly } = credentials;

  it("says which check the missing limited credentials skip, in the table and in JUnit", async () => {
    const junit = join(outDir, "skipped.xml");
    const run = await runCli(
      ["--base-url", sandbox.baseUrl, "--seed", "12", "--cases", "2", "--layers", "property", "--junit", junit],
      mainOnly,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/\| insufficient_scope +\| +\d+ \| +0 \| +1 \| ~ issueToken/);
    expect(run.stdout).toContain("insufficient_scope on issueToken: set OPENAPI_LIMITED_CLIENT_ID");
    expect(readFileSync(junit, "utf8")).toMatch(
      /name="insufficient_scope\[issueToken\]"[^>]*>\s*<skipped message="set OPENAPI_LIMITED_CLIENT_ID/,
    );
  });

  it("checks against another version of the spec given as a multi-file YAML (--spec)", async () => {
    const run = await runCli(
      ["--base-url", sandbox.baseUrl, "--seed", "13", "--cases", "2", "--layers", "property,workflow"].concat([
        "--spec",
        join(repoRoot, "openapi", "openapi.yaml"),
      ]),
      credentials,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toContain("openapi/openapi.yaml (version 1.4.0)");
    const missing = await runCli(["--base-url", sandbox.baseUrl, "--spec", "no-such-spec.yaml"], credentials);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trimEnd().split("\n")).toEqual([
      "contract: --spec no-such-spec.yaml: no such file; give a path to an OpenAPI 3.1 file or an http(s) URL",
    ]);
  });

  it("exits 2 on a misspelt operationId instead of running nothing and passing", async () => {
    const run = await runCli(["--base-url", sandbox.baseUrl, "--operations", "getGoodDetail"], credentials);
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(run.stderr).toContain("--operations: unknown getGoodDetail; use any of issueToken,");
  });

  it("exits 2 with one line when the limited application's credentials are refused", async () => {
    const run = await runCli(["--base-url", sandbox.baseUrl], {
      ...credentials,
      OPENAPI_LIMITED_CLIENT_SECRET: "not-it",
    });
    expect(run.code).toBe(2);
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("the token endpoint refused $OPENAPI_LIMITED_CLIENT_ID");
    expect(lines[0]).toContain('-u "$OPENAPI_LIMITED_CLIENT_ID:$OPENAPI_LIMITED_CLIENT_SECRET"');
  });
});

describe("contract CLI against a rate-limited application", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    // The demo app limited to 20 requests per second, as a platform team's test application may be.
    const dbPath = join(outDir, "rate-limited.db");
    const admin = spawnSync(
      bin("tsx"),
      [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), "set-qps", "sandbox-demo", "20"],
      {
        cwd: repoRoot,
        env: { ...process.env, SANDBOX_DB: dbPath },
        encoding: "utf8",
      },
    );
    expect(admin.status, admin.stdout + admin.stderr).toBe(0);
    sandbox = await startSandbox({ dbPath, env: { SANDBOX_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("waits out 429 answers instead of failing checks", async () => {
    const run = await runCli(
      ["--base-url", sandbox.baseUrl, "--seed", "9", "--cases", "2", "--layers", "dredd,property"],
      credentials,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stderr).toMatch(/answered 429 \d+ time\(s\)/);
  });
});

describe("contract CLI input errors", () => {
  it("exits 2 and names the missing variables when credentials are not set", async () => {
    const run = await runCli(["--base-url", "http://127.0.0.1:9"], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("OPENAPI_CLIENT_ID, OPENAPI_CLIENT_SECRET, OPENAPI_TENANT_ID are not set");
  });

  it("exits 2 on a bad profile or a missing base URL", async () => {
    const badProfile = await runCli(["--base-url", "http://127.0.0.1:9", "--profile", "staging"], credentials);
    expect(badProfile.code).toBe(2);
    expect(badProfile.stderr).toContain("--profile must be full or mock");
    expect(badProfile.stderr.trimEnd().split("\n")).toHaveLength(1);
    const noUrl = await runCli([], credentials);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("--base-url is required");
  });
});
