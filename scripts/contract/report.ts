// The end of a run: the check x operation table (passed/failed), then each distinct failure with its rule and a
// curl command that reproduces it.
import type { Outcome, Results } from "./results.ts";

/** Failures of the same check on the same operation beyond this many are counted, not printed. */
const shownPerGroup = 3;

export function summaryTable(results: Results): string {
  const tallies = results.tallies();
  const checks = [...new Set(tallies.map((t) => t.check))];
  const operations = [...new Set(tallies.map((t) => t.operation))];
  const cell = (check: string, operation: string) => {
    const t = tallies.find((x) => x.check === check && x.operation === operation);
    if (!t) return "-";
    return t.failed > 0 ? `${t.passed}/${t.failed} FAIL` : `${t.passed}/0`;
  };
  const header = ["check \\ operation (passed/failed)", ...operations];
  const rows = checks.map((check) => [check, ...operations.map((op) => cell(check, op))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function failureReport(results: Results): string {
  const groups = new Map<string, Outcome[]>();
  for (const o of results.failed) {
    const key = `${o.check} on ${o.operation}`;
    groups.set(key, [...(groups.get(key) ?? []), o]);
  }
  const out: string[] = [];
  let n = 0;
  for (const [key, failures] of groups) {
    out.push(
      `\n✗ ${key} (${failures.length} failing case${failures.length === 1 ? "" : "s"}, ${failures[0]?.layer} layer)`,
    );
    for (const f of failures.slice(0, shownPerGroup)) {
      n++;
      out.push(`  ${n}. ${f.message ?? "failed"}`);
      if (f.rule) out.push(`     rule: ${f.rule}`);
      if (f.curl)
        out.push(
          f.curl
            .split("\n")
            .map((l) => `     $ ${l}`)
            .join("\n"),
        );
    }
    if (failures.length > shownPerGroup) out.push(`     … and ${failures.length - shownPerGroup} more like these`);
  }
  return out.join("\n");
}
