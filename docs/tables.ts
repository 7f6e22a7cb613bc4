// Markdown tables the build derives from the spec, so the guide cannot drift from it: every business error of every
// operation, and the operations with their scopes. The business errors come from generated/business-codes.ts (built
// from the spec's x-business-errors and the overlays by `npm run build`): the same data the SDK exports.
import { BUSINESS_ERRORS, type BusinessErrorInfo, type BusinessErrorLanguage } from "../generated/business-codes.ts";
import type { Locale } from "./locales.ts";
import type { OperationFacts } from "./operations.ts";

const cell = (text: string): string => text.replace(/\|/g, "\\|").replace(/\n+/g, " ");

/** The code and, under it, its stable key (one cell: the key is long and would squeeze a column of its own). */
const codeCell = (e: BusinessErrorInfo): string => `\`${e.code}\`<br><small>${e.key.replace(/_/g, "_<wbr>")}</small>`;

/** The Redoc anchor of an operation (Redoc links operations as #operation/<operationId>). */
const operationLink = (op: OperationFacts): string => `[${cell(op.summary)}](#operation/${op.operationId})`;

/** What a code means in the locale's language. */
function meaning(error: BusinessErrorInfo, locale: Locale): string {
  const text = (error.meaning as Partial<Record<string, string>>)[locale.tag as BusinessErrorLanguage];
  if (text === undefined) {
    throw new Error(
      `generated/business-codes.ts has no ${locale.tag} meaning for ${error.code}: run \`npm run build\``,
    );
  }
  return text;
}

/** The business errors an operation may answer, sorted by code. */
export function businessErrorsOf(operationId: string): BusinessErrorInfo[] {
  return BUSINESS_ERRORS.filter((e) => e.operations.includes(operationId));
}

export function businessErrorTable(errors: readonly BusinessErrorInfo[], locale: Locale): string {
  const w = locale.words;
  const rows = errors.map((e) => `| ${codeCell(e)} | ${cell(e.message)} | ${cell(meaning(e, locale))} |`);
  return [`| ${w.code} | ${w.message} | ${w.meaning} |`, "|---|---|---|", ...rows].join("\n");
}

/** Every business code of the API, sorted by code, with the operations (of this page) that answer it. */
export function allBusinessErrorsTable(operations: OperationFacts[], locale: Locale): string {
  const w = locale.words;
  const byId = new Map(operations.map((op) => [op.operationId, op]));
  const rows = BUSINESS_ERRORS.map((error) => {
    const ops = error.operations.flatMap((id) => byId.get(id) ?? []);
    // Two columns: more do not fit Redoc's middle column, so message, meaning and operations share a cell.
    return `| ${codeCell(error)} | ${cell(error.message)}<br><em>${cell(meaning(error, locale))}</em><br>${w.operations}: ${ops.map(operationLink).join(", ")} |`;
  });
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
  const listed = businessErrorsOf(op.operationId);
  const errors = listed.length > 0 ? businessErrorTable(listed, locale) : `_${w.businessErrorsNone}_`;
  return `\n\n${scope}### ${w.businessErrors}\n\n${errors}\n`;
}
