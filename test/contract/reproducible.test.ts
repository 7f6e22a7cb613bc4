// "Repeat with --seed N" must mean it: the same seed sends the same requests, another seed other ones. Recorded by
// the mutant proxy with a fault that only listens.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { RunOptions } from "../../contract/src/run-context.ts";
import { runContract } from "../../contract/src/runner.ts";
import { startSandbox } from "../helpers.ts";
import { startMutantProxy } from "./mutants/proxy.ts";

const demo = { clientId: "sandbox-demo", clientSecret: "sandbox-demo-secret", tenantId: "1" };
const env = { OPENAPI_CLIENT_ID: demo.clientId, OPENAPI_CLIENT_SECRET: demo.clientSecret, OPENAPI_TENANT_ID: "1" };

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  await sandbox?.stop();
});

async function requestsOf(seed: number): Promise<string[]> {
  const seen: string[] = [];
  const proxy = await startMutantProxy(
    sandbox.baseUrl,
    {
      onRequest: (request) => {
        // Tokens and revocations carry live token values; the generated business bodies are what the seed decides.
        if (!request.path.startsWith("/open-api/system/"))
          seen.push(`${request.method} ${request.path} ${request.body}`);
        return request;
      },
    },
    demo,
  );
  try {
    const options: RunOptions = {
      baseUrl: proxy.baseUrl,
      profile: "full",
      seed,
      cases: 20,
      layers: new Set(["property"]),
      operations: new Set(["getGoodsDetail", "pageGoodsQc", "searchGoodsByImage", "redeemCouponCode"]),
      concurrency: 4,
    };
    const { results } = await runContract(options, env);
    expect(results.failed).toEqual([]);
  } finally {
    await proxy.stop();
  }
  // Requests run concurrently: compare them as a multiset.
  return seen.sort();
}

it("the same seed sends the same generated requests, another seed different ones", async () => {
  const first = await requestsOf(101);
  const again = await requestsOf(101);
  const other = await requestsOf(102);
  expect(first.length).toBeGreaterThan(80);
  expect(again).toEqual(first);
  expect(other).not.toEqual(first);
});
