// `redocly drift` over recorded traffic, and which of its findings are drift. A request the spec does not allow
// (an undocumented method, no credentials, an invalid body) that the server refused with a 4xx is the server
// keeping the contract, not drift: the contract runner sends such probes on purpose, and a gateway's log is full
// of them. Everything else Redocly finds, and every finding about a response, is drift.
import { redocly } from "./redocly.ts";
import { markdownTable } from "./report.ts";

export interface DriftProblem {
  ruleId: string;
  severity: "error" | "warning" | "info";
  message: string;
  operationId?: string;
  target?: "request" | "response";
  method?: string;
  path?: string;
  status?: number;
  occurrences?: number;
  dataPath?: string;
}

export interface DriftRun {
  totalExchanges: number;
  documentedExchanges: number;
  undocumentedExchanges: number;
}

export interface DriftResult {
  run: DriftRun;
  drift: DriftProblem[];
  refused: DriftProblem[];
}

/** Findings about the request itself; refused with a 4xx they show the server enforcing the spec. */
const REQUEST_RULES = new Set(["undocumented-endpoint", "security-baseline"]);

export function isRefusedAsDocumented(problem: DriftProblem): boolean {
  const refused = problem.status !== undefined && problem.status >= 400 && problem.status < 500;
  const aboutRequest = REQUEST_RULES.has(problem.ruleId) || problem.target === "request";
  return refused && aboutRequest;
}

export interface DriftOptions {
  api: string;
  server?: string;
  trafficFormat?: string;
}

export function runDrift(traffic: string, options: DriftOptions): DriftResult {
  const args = ["drift", traffic, "--api", options.api, "--format", "json"];
  // Traffic comes from gateways with their own host names: match by path unless the server is named.
  args.push(...(options.server ? ["--server", options.server] : ["--match-mode", "basepath"]));
  if (options.trafficFormat) args.push("--traffic-format", options.trafficFormat);
  const run = redocly(args);
  let report: { run?: DriftRun; problems?: DriftProblem[] };
  try {
    report = JSON.parse(run.stdout);
  } catch {
    throw new Error(`redocly drift gave no JSON report (exit ${run.code}):\n${run.stderr || run.stdout}`);
  }
  const problems = report.problems ?? [];
  return {
    run: report.run ?? { totalExchanges: 0, documentedExchanges: 0, undocumentedExchanges: 0 },
    drift: problems.filter((p) => !isRefusedAsDocumented(p)),
    refused: problems.filter(isRefusedAsDocumented),
  };
}

export function driftTable(problems: DriftProblem[]): string {
  const rows = problems.map((p) => [
    p.severity,
    p.ruleId,
    p.operationId ?? "(none)",
    `${p.method ?? "?"} ${p.path ?? "?"} -> ${p.status ?? "?"}`,
    String(p.occurrences ?? 1),
    p.message,
  ]);
  return markdownTable(["severity", "rule", "operation", "exchange", "count", "finding"], rows);
}
