// `npm run drift -- <traffic file> [--api <spec>] [--server <url>] [--traffic-format <f>]`: compares recorded
// traffic (the sandbox's SANDBOX_RECORD file, or a gateway's HAR / NGINX / Apache / Kong / NDJSON log) with the
// spec through `redocly drift`, prints the drift table and exits 1 on drift (0 none, 2 could not run).
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { driftTable, runDrift } from "./governance/drift.ts";
import { kitRoot } from "./governance/redocly.ts";

function parseArgs(argv: string[]) {
  const options: { traffic?: string; api: string; server?: string; trafficFormat?: string } = {
    api: join(kitRoot, "generated", "openapi.json"),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const value = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${arg} needs a value`);
      return next;
    };
    if (arg === "--api") options.api = resolve(value());
    else if (arg === "--server") options.server = value();
    else if (arg === "--traffic-format") options.trafficFormat = value();
    else if (arg.startsWith("-")) throw new Error(`unknown option ${arg}`);
    else if (options.traffic === undefined) options.traffic = resolve(arg);
    else throw new Error(`one traffic file or folder only, got ${options.traffic} and ${arg}`);
  }
  if (!options.traffic) {
    throw new Error(
      "usage: npm run drift -- <traffic file> [--api <spec>] [--server <url>] [--traffic-format <f>] (record one with SANDBOX_RECORD=<file> npm start)",
    );
  }
  if (!existsSync(options.traffic)) throw new Error(`${options.traffic} does not exist: give a recorded traffic file`);
  return options as typeof options & { traffic: string };
}

function main(): number {
  const { traffic, ...options } = parseArgs(process.argv.slice(2));
  const result = runDrift(traffic, options);
  const { run } = result;
  console.log(`Traffic: ${traffic}\nSpec: ${options.api}`);
  console.log(
    `Exchanges: ${run.totalExchanges} (${run.documentedExchanges} documented, ${run.undocumentedExchanges} undocumented)\n`,
  );
  if (run.totalExchanges === 0) throw new Error("the traffic holds no exchange redocly drift could read");
  if (result.refused.length > 0) {
    const count = result.refused.reduce((n, p) => n + (p.occurrences ?? 1), 0);
    console.log(`Not drift: ${count} request(s) the spec does not allow, refused with a 4xx as it documents.\n`);
  }
  if (result.drift.length === 0) {
    console.log("PASSED: no drift between the traffic and the spec");
    return 0;
  }
  console.log(driftTable(result.drift));
  console.log(`\nFAILED: ${result.drift.length} kind(s) of drift between the traffic and the spec`);
  return 1;
}

try {
  process.exitCode = main();
} catch (error) {
  console.error(`drift: ${(error as Error).message}`);
  process.exitCode = 2;
}
