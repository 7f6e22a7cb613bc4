// The runner as a platform team runs it, against Prism (mock profile): what a stateless mock can pass, and the
// full profile failing there with reproductions that carry no secret.
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPrism } from "../helpers.ts";
import { credentials, prismToken, runCli, secret } from "./run-cli.ts";

const outDir = mkdtempSync(join(tmpdir(), "contract-cli-prism-"));

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
      [
        "--base-url",
        prism.baseUrl,
        "--profile",
        "full",
        "--seed",
        "42",
        "--cases",
        "4",
        "--layers",
        "property,workflow",
        "--junit",
        junit,
      ],
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
