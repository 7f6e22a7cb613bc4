// The contract runner's full profile (Dredd, property checks, Arazzo workflows) against a fresh sandbox, at
// several numbers of generated cases per operation. Target: >= 100 generated cases per operation, whole run < 60 s.
import { type Layer, runContract } from "../contract/src/runner.ts";
import { startSandbox } from "../test/helpers.ts";
import type { BenchTable } from "./run.ts";

export const title = "Contract runner (contract/): full profile against the sandbox";

const env = {
  OPENAPI_CLIENT_ID: "sandbox-demo",
  OPENAPI_CLIENT_SECRET: "sandbox-demo-secret",
  OPENAPI_TENANT_ID: "1",
  OPENAPI_LIMITED_CLIENT_ID: "sandbox-goods-reader",
  OPENAPI_LIMITED_CLIENT_SECRET: "sandbox-goods-reader-secret",
};
const layers: Layer[] = ["dredd", "property", "workflow"];

export async function run(): Promise<BenchTable> {
  const rows: (string | number)[][] = [];
  for (const cases of [100, 300, 1000]) {
    // A fresh sandbox per row: stored state (redemptions, revoked tokens) must not carry over.
    const sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
    try {
      const summary = await runContract(
        { baseUrl: sandbox.baseUrl, profile: "full", seed: 1, cases, layers: new Set(layers), concurrency: 8 },
        env,
      );
      const operations = new Set(summary.results.outcomes.filter((o) => o.layer === "property").map((o) => o.operation))
        .size;
      const property = summary.layerSeconds.property ?? 0;
      rows.push([
        cases,
        summary.generatedCases,
        summary.seconds.toFixed(1),
        (summary.layerSeconds.dredd ?? 0).toFixed(1),
        property.toFixed(1),
        (summary.layerSeconds.workflow ?? 0).toFixed(1),
        Math.round(summary.generatedCases / property),
        Math.round(summary.requests / property),
        summary.results.outcomes.length,
        summary.results.failed.length,
        summary.seconds < 60 && cases >= 100 && operations > 0 ? "yes" : "no",
      ]);
    } finally {
      await sandbox.stop();
    }
  }
  return {
    columns: [
      "cases/op",
      "generated cases",
      "full run s",
      "dredd s",
      "property s",
      "workflow s",
      "generated cases/s",
      "requests/s (runner)",
      "checks",
      "failed",
      "< 60 s",
    ],
    rows,
    notes: [
      "9 operations; half the generated cases valid, half invalid; 8 requests in flight; seed 1",
      "requests/s counts the runner's own requests in the property layer (cases, probes, tokens); Dredd and Respect not counted",
      "full run = Dredd (54 transactions) + property layer + 4 Arazzo workflows via redocly respect + a 26-page qc-page walk",
    ],
  };
}
