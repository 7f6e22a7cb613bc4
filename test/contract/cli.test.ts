// The runner as a platform team runs it: `npm run contract` (tsx scripts/contract.ts) as a real child process,
// against Prism (mock profile) and the stateful sandbox (full profile), plus its failure modes.
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bin, repoRoot, startPrism, startSandbox } from "../helpers.ts";

const secret = "sandbox-demo-secret";
const credentials = {
  OPENAPI_CLIENT_ID: "sandbox-demo",
  OPENAPI_CLIENT_SECRET: secret,
  OPENAPI_TENANT_ID: "1",
  OPENAPI_LIMITED_CLIENT_ID: "sandbox-goods-reader",
  OPENAPI_LIMITED_CLIENT_SECRET: "sandbox-goods-reader-secret",
};
/** The token Prism hands out (the spec's example): a full token the runner must never print. */
const prismToken = "9f1c2e7a4b8d4c0e8a6f3b2d1c0e9f8a";

function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bin("tsx"), [join(repoRoot, "scripts", "contract.ts"), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, REDOCLY_TELEMETRY: "off", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

const outDir = mkdtempSync(join(tmpdir(), "contract-cli-"));

describe("contract CLI against Prism (mock profile)", () => {
  let prism: Awaited<ReturnType<typeof startPrism>>;
  beforeAll(async () => {
    prism = await startPrism();
  });
  afterAll(async () => {
    await prism?.stop();
  });

  it("passes every layer a stateless mock can pass, prints the table and writes JUnit", async () => {
    const junit = join(outDir, "mock.xml");
    const run = await runCli(
      ["--base-url", prism.baseUrl, "--profile", "mock", "--seed", "42", "--junit", junit],
      credentials,
    );
    expect(run.stdout, run.stderr).toContain("PASSED");
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/seed 42/);
    expect(run.stderr).toMatch(/dredd: done/);
    expect(run.stderr).toMatch(/property: getGoodsDetail/);
    expect(run.stderr).toMatch(/workflow: done/);
    for (const check of [
      "dredd_transaction",
      "positive_data_acceptance",
      "negative_data_rejection",
      "arazzo_workflow",
    ]) {
      expect(run.stdout).toMatch(new RegExp(`\\| ${check} +\\|`));
    }
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toMatch(/<testsuites name="contract" tests="\d+" failures="0"/);
    expect(`${run.stdout}${run.stderr}${xml}`).not.toContain(secret);
  });

  it("fails the full profile on a stateless mock, with curl reproductions and no secret or full token", async () => {
    const junit = join(outDir, "mock-full.xml");
    const run = await runCli(
      ["--base-url", prism.baseUrl, "--profile", "full", "--seed", "42", "--cases", "4", "--junit", junit],
      credentials,
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("FAILED");
    // Prism accepts any bearer token and keeps no state: these are exactly what it cannot pass.
    for (const check of [
      "ignored_auth",
      "use_after_free",
      "tenant_mismatch",
      "insufficient_scope",
      "arazzo_workflow",
    ]) {
      expect(run.stdout).toContain(`✗ ${check} on`);
    }
    expect(run.stdout).toContain('-u "$OPENAPI_CLIENT_ID:$OPENAPI_CLIENT_SECRET"');
    expect(run.stdout).toContain("rule: ");
    const xml = readFileSync(junit, "utf8");
    expect(xml).toMatch(/<failure message=/);
    for (const text of [run.stdout, run.stderr, xml]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(prismToken);
    }
  });
});

describe("contract CLI against the sandbox (full profile)", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("passes every check of every layer with 100 generated cases per operation", async () => {
    const junit = join(outDir, "full.xml");
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
    const run = await runCli(
      ["--base-url", sandbox.baseUrl, "--seed", "8", "--cases", "4", "--exclude-operations", "redeemCouponCode"],
      credentials,
    );
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(run.stdout).toMatch(/\| dredd_transaction +\|/);
    expect(run.stdout).not.toContain("redeemCouponCode");
    expect(run.stdout).not.toContain("redeemReplay");
    expect(run.stdout).toContain("tokenThenDetail");
  });
});

describe("contract CLI against a rate-limited application", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    // The demo app limited to 5 requests per second, as a platform team's test application may be.
    const dbPath = join(outDir, "rate-limited.db");
    const admin = spawnSync(
      bin("tsx"),
      [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), "set-qps", "sandbox-demo", "5"],
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
    const noUrl = await runCli([], credentials);
    expect(noUrl.code).toBe(2);
    expect(noUrl.stderr).toContain("--base-url is required");
  });
});
