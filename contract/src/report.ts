// The end of a run: the summary table (one row per check), the skipped checks with their reasons, then each distinct failure with its rule and a
// curl command that reproduces it.
import type { Outcome, Results } from "./results.ts";

/** Failures of the same check on the same operation beyond this many are counted, not printed. */
const shownPerGroup = 3;
/** The summary must fit a CI log and an 80-120 column terminal without wrapping. */
export const summaryWidth = 120;

const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, width - 1)}…`);

/** Words wrapped to `width`, continuation lines indented by `indent` spaces. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  let line = " ".repeat(indent / 2);
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = " ".repeat(indent) + word;
    } else line = line.trim() ? `${line} ${word}` : `${line}${word}`;
  }
  lines.push(line);
  return lines.map((l) => clip(l, width)).join("\n");
}

/**
 * One row per check: cases passed, failed and skipped, and where (failing operations first, then skipped ones).
 * The per-operation detail of failures follows in the failure report; skipped checks are listed with the reason.
 */
export function summaryTable(results: Results): string {
  const tallies = results.tallies();
  const checks = [...new Set(tallies.map((t) => t.check))];
  const header = ["check", "passed", "failed", "skipped", "operations (✗ failed, ~ skipped)"];
  const rows = checks.map((check) => {
    const mine = tallies.filter((t) => t.check === check);
    const sum = (key: "passed" | "failed" | "skipped") => mine.reduce((n, t) => n + t[key], 0);
    const failing = mine.filter((t) => t.failed > 0).map((t) => `✗ ${t.operation} (${t.failed})`);
    const skipped = mine
      .filter((t) => t.skipped > 0 && t.failed === 0 && t.passed === 0)
      .map((t) => `~ ${t.operation}`);
    const clean = mine.length - failing.length - skipped.length;
    const where = [...failing, ...skipped, ...(clean > 0 ? [`${clean} passed`] : [])].join(", ");
    return [check, String(sum("passed")), String(sum("failed")), String(sum("skipped")), where];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  // The last column takes what is left of the width: long lists of operations are clipped, never wrapped.
  const fixed = widths.slice(0, -1).reduce((n, w) => n + w + 3, 0) + 4;
  widths[widths.length - 1] = Math.max(12, Math.min(widths.at(-1) ?? 0, summaryWidth - fixed));
  const line = (cells: string[]) =>
    `| ${cells
      .map((c, i) => {
        const w = widths[i] ?? 0;
        return i >= 1 && i <= 3 ? c.padStart(w) : clip(c, w).padEnd(w);
      })
      .join(" | ")} |`;
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
  const skips = tallies.filter((t) => t.skipReason !== undefined && t.passed === 0 && t.failed === 0);
  if (skips.length > 0) {
    out.push("", "Skipped:");
    for (const t of skips) out.push(wrap(`${t.check} on ${t.operation}: ${t.skipReason}`, summaryWidth, 4));
  }
  return out.join("\n");
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
