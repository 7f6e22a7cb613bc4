// Markdown tables the build derives from a language bundle, so the guide cannot drift from the spec:
// every business error of every operation, and the operations with their scopes.
import type { Locale } from "./locales.ts";
import type { BusinessError, OperationFacts } from "./operations.ts";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** The code and, under it, its stable key (one cell: the key is long and would squeeze a column of its own). */
const codeCell = (e: BusinessError): string => `\`${e.code}\`<br><small>${e.key.replace(/_/g, "_<wbr>")}</small>`;

/** The Redoc anchor of an operation (Redoc links operations as #operation/<operationId>). */
const operationLink = (op: OperationFacts): string => `[${cell(op.summary)}](#operation/${op.operationId})`;

export function businessErrorTable(errors: BusinessError[], locale: Locale): string {
  const w = locale.words;
  const rows = errors.map((e) => `| ${codeCell(e)} | ${cell(e.message)} | ${cell(e.description)} |`);
  return [`| ${w.code} | ${w.message} | ${w.meaning} |`, "|---|---|---|", ...rows].join("\n");
}

/** Every business code of the API, sorted by code, with the operations that answer it. */
export function allBusinessErrorsTable(operations: OperationFacts[], locale: Locale): string {
  const byCode = new Map<number, { error: BusinessError; ops: OperationFacts[] }>();
  for (const op of operations) {
    for (const error of op.businessErrors) {
      const entry = byCode.get(error.code) ?? { error, ops: [] };
      entry.ops.push(op);
      byCode.set(error.code, entry);
    }
  }
  const w = locale.words;
  const rows = [...byCode.values()]
    .sort((a, b) => a.error.code - b.error.code)
    .map(
      ({ error, ops }) =>
        // Two columns: more do not fit Redoc's middle column, so message, meaning and operations share a cell.
        `| ${codeCell(error)} | ${cell(error.message)}<br><em>${cell(error.description)}</em><br>${w.operations}: ${ops.map(operationLink).join(", ")} |`,
    );
  return [`| ${w.code} | ${w.message} · ${w.meaning} |`, "|---|---|", ...rows].join("\n");
}

export function operationsTable(operations: OperationFacts[], locale: Locale): string {
  const w = locale.words;
  const rows = operations.map(
    (op) =>
      `| ${operationLink(op)} | \`${op.method.toUpperCase()} ${op.path}\` | ${op.scope ? `\`${op.scope}\`` : "HTTP Basic"} |`,
  );
  return [`| ${w.operations} | HTTP | ${w.requiredScope} |`, "|---|---|---|", ...rows].join("\n");
}

/** What the build appends to each operation's description. */
export function operationAppendix(op: OperationFacts, locale: Locale): string {
  const w = locale.words;
  const scope = op.scope ? `**${w.requiredScope}:** \`${op.scope}\`\n\n` : "";
  const errors =
    op.businessErrors.length > 0 ? businessErrorTable(op.businessErrors, locale) : `_${w.businessErrorsNone}_`;
  return `\n\n${scope}### ${w.businessErrors}\n\n${errors}\n`;
}
