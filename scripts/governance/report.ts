// The change table `npm run diff` prints (Markdown, so it reads the same in a terminal and in a CI summary).
import type { RatedChange } from "./impact.ts";
import type { Rating } from "./rate.ts";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

/** A Markdown table with aligned columns (the diff's and the drift's reports). */
export function markdownTable(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => cell(r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => cell(c).padEnd(widths[i] as number)).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

export function changeTable(changes: RatedChange[]): string {
  if (changes.length === 0) return "No changes.";
  const rows = changes.map((c) => [c.impact, c.rule, c.where || c.pointer, c.message]);
  return markdownTable(["impact", "rule", "where", "change"], rows);
}

export function summaryLine(rating: Rating): string {
  const count = (impact: string) => rating.changes.filter((c) => c.impact === impact).length;
  return `${rating.changes.length} change(s): ${count("major")} major, ${count("minor")} minor, ${count("patch")} patch`;
}
