// Proof that the contract suite catches a broken server: every mutant (one injected fault each, through a proxy
// in front of the real sandbox) must make the named check fail, the same focused run must pass through a
// transparent proxy, and the kill rate must be 100%.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Layer } from "../../contract/src/results.ts";
import type { RunOptions } from "../../contract/src/run-context.ts";
import { runContract } from "../../contract/src/runner.ts";
import { startSandbox } from "../helpers.ts";
import { type Mutant, mutants } from "./mutants/faults.ts";
import { startMutantProxy } from "./mutants/proxy.ts";

const demo = { clientId: "sandbox-demo", clientSecret: "sandbox-demo-secret", tenantId: "1" };
const env = {
  OPENAPI_CLIENT_ID: demo.clientId,
  OPENAPI_CLIENT_SECRET: demo.clientSecret,
  OPENAPI_TENANT_ID: demo.tenantId,
  OPENAPI_LIMITED_CLIENT_ID: "sandbox-goods-reader",
  OPENAPI_LIMITED_CLIENT_SECRET: "sandbox-goods-reader-secret",
};

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function focusedRun(mutant: Mutant, withFault: boolean) {
  const proxy = await startMutantProxy(sandbox.baseUrl, withFault ? mutant.fault : undefined, demo);
  try {
    const options: RunOptions = {
      baseUrl: proxy.baseUrl,
      profile: "full",
      seed: 20261122,
      cases: 10,
      layers: new Set<Layer>(mutant.layers),
      checks: new Set(mutant.checks),
      operations: mutant.operations ? new Set(mutant.operations) : undefined,
      concurrency: 4,
    };
    return (await runContract(options, env)).results;
  } finally {
    await proxy.stop();
  }
}

const killed = new Map<string, boolean>();

describe("mutants", () => {
  it("has at least 12 distinct faults, each naming a check", () => {
    expect(new Set(mutants.map((m) => m.name)).size).toBe(mutants.length);
    expect(mutants.length).toBeGreaterThanOrEqual(12);
  });

  for (const mutant of mutants) {
    it(`${mutant.name} (${mutant.breaks}) fails ${mutant.expectedCheck}`, async () => {
      const results = await focusedRun(mutant, true);
      const failedChecks = results.failedChecks();
      killed.set(mutant.name, failedChecks.has(mutant.expectedCheck));
      const seen = results.failed.slice(0, 3).map((o) => `${o.check}: ${o.message}`);
      expect([...failedChecks], `checks that failed on mutant ${mutant.name}: ${seen.join(" / ")}`).toContain(
        mutant.expectedCheck,
      );
      // A failure a platform team can act on: the rule it broke and a command that reproduces it.
      const failure = results.failed.find((o) => o.check === mutant.expectedCheck);
      expect(failure?.rule).toBeTruthy();
      expect(failure?.curl).toMatch(/curl /);
      expect(failure?.curl).not.toContain(demo.clientSecret);
    });
  }

  it("every focused run passes on the clean sandbox, so each kill is the fault's doing", async () => {
    const seen = new Set<string>();
    for (const mutant of mutants) {
      const key = JSON.stringify([mutant.layers, mutant.checks, mutant.operations]);
      if (seen.has(key)) continue;
      seen.add(key);
      const results = await focusedRun(mutant, false);
      expect(results.outcomes.length, `${mutant.name} ran no checks`).toBeGreaterThan(0);
      expect(
        results.failed.map((o) => `${o.check} ${o.operation}: ${o.message}`),
        `clean run of ${mutant.name}'s configuration`,
      ).toEqual([]);
    }
  });

  it("kills 100% of the mutants", () => {
    const survivors = mutants.filter((m) => killed.get(m.name) !== true).map((m) => m.name);
    expect(survivors).toEqual([]);
    expect(killed.size).toBe(mutants.length);
  });
});
