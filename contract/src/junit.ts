// JUnit XML for CI systems: one testsuite per layer, one testcase per (check, operation); a testcase fails when any
// of its cases failed, and its failure text lists them with their rules and curl commands; a check that could not
// run is <skipped message="why, and what makes it run"/>.
import type { Outcome, Results } from "./results.ts";

// XML 1.0 forbids most control characters even when escaped.
const dropControlCharacters = (text: string) =>
  [...text].map((ch) => (ch.charCodeAt(0) < 32 && !"\t\n\r".includes(ch) ? "?" : ch)).join("");

const escapeXml = (text: string) =>
  dropControlCharacters(text)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");

export function junitXml(results: Results, seconds: number): string {
  const layers = new Map<string, Map<string, Outcome[]>>();
  for (const o of results.outcomes) {
    const byCase = layers.get(o.layer) ?? new Map<string, Outcome[]>();
    layers.set(o.layer, byCase);
    const key = `${o.check}[${o.operation}]`;
    byCase.set(key, [...(byCase.get(key) ?? []), o]);
  }
  const suites: string[] = [];
  let total = 0;
  let failures = 0;
  let skipped = 0;
  for (const [layer, byCase] of layers) {
    const cases: string[] = [];
    let suiteFailures = 0;
    let suiteSkipped = 0;
    for (const [name, outcomes] of byCase) {
      const failed = outcomes.filter((o) => !o.ok);
      const [check, operation] = [outcomes[0]?.check ?? "", outcomes[0]?.operation ?? ""];
      const open = `    <testcase classname="contract.${escapeXml(layer)}.${escapeXml(operation)}" name="${escapeXml(name)}" assertions="${outcomes.length}">`;
      const skip = outcomes.every((o) => o.skipped !== undefined) ? outcomes[0]?.skipped : undefined;
      if (skip !== undefined) {
        suiteSkipped++;
        cases.push(`${open}\n      <skipped message="${escapeXml(skip)}"/>\n    </testcase>`);
        continue;
      }
      if (failed.length === 0) {
        cases.push(`${open}</testcase>`);
        continue;
      }
      suiteFailures++;
      const text = failed
        .slice(0, 10)
        .map((f) => [f.message, f.rule ? `rule: ${f.rule}` : "", f.curl ?? ""].filter(Boolean).join("\n"))
        .join("\n\n");
      cases.push(
        `${open}\n      <failure message="${escapeXml(`${check} failed ${failed.length} of ${outcomes.length} cases on ${operation}`)}" type="${escapeXml(check)}">${escapeXml(text)}</failure>\n    </testcase>`,
      );
    }
    total += byCase.size;
    failures += suiteFailures;
    skipped += suiteSkipped;
    suites.push(
      `  <testsuite name="contract.${escapeXml(layer)}" tests="${byCase.size}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}">\n${cases.join("\n")}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="contract" tests="${total}" failures="${failures}" skipped="${skipped}" time="${seconds.toFixed(3)}">\n${suites.join("\n")}\n</testsuites>\n`;
}
