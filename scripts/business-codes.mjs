// Generates generated/business-codes.ts: every business error of the spec's `x-business-errors` as data (code,
// stable key, the English `msg` the platform sends, its meaning in every docs language, the operations that answer
// it). The SDK exports it (`BusinessCode.GOODS_NOT_EXISTS`) and the docs' error tables are rendered from it, so a
// code is written once, in openapi/, and its translation once, in the overlay.
//
// The translations are read with the docs' own overlay applier (docs/overlay.ts, loaded through tsx), which fails
// on an action that matches nothing, and the languages come from docs/locales.ts: one list of languages, one applier.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { tsImport } from "tsx/esm/api";

const HTTP_METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];

/** Every (operationId, business error) of a bundled spec, in path order. */
function businessErrorsOf(spec) {
  const found = [];
  for (const item of Object.values(spec.paths ?? {})) {
    for (const [method, operation] of Object.entries(item)) {
      if (!HTTP_METHODS.includes(method)) continue;
      for (const error of operation["x-business-errors"] ?? [])
        found.push({ operationId: operation.operationId, error });
    }
  }
  return found;
}

/** The locales of the docs, each with the spec in its language (English: the spec itself). */
async function translatedSpecs(spec, root) {
  const here = pathToFileURL(resolve(root, "scripts", "business-codes.mjs")).href;
  const { locales } = await tsImport("../docs/locales.ts", here);
  const { applyOverlay, loadOverlay } = await tsImport("../docs/overlay.ts", here);
  return locales.map((locale) => ({
    tag: locale.tag,
    spec: locale.overlay === null ? spec : applyOverlay(spec, loadOverlay(resolve(root, locale.overlay))),
  }));
}

/**
 * One entry per code, sorted by code. A code listed by several operations must have the same key, message and
 * meaning everywhere (one fact, one place); a key must name one code.
 */
export function collectBusinessCodes(languages) {
  const [english] = languages;
  const byCode = new Map();
  languages.forEach(({ tag, spec }) => {
    for (const { operationId, error } of businessErrorsOf(spec)) {
      const where = `${operationId} x-business-errors code ${error.code}`;
      if (!Number.isInteger(error.code) || !/^[A-Z][A-Z0-9_]*$/.test(error.key ?? "")) {
        throw new Error(`${where}: needs an integer code and an UPPER_SNAKE key (got ${JSON.stringify(error.key)})`);
      }
      let entry = byCode.get(error.code);
      if (entry === undefined) {
        if (tag !== english.tag) throw new Error(`${where}: only in the ${tag} spec`);
        entry = { code: error.code, key: error.key, message: error.message, meaning: {}, operations: [] };
        byCode.set(error.code, entry);
      }
      if (entry.key !== error.key || entry.message !== error.message) {
        throw new Error(`${where}: key or message differs from another operation's entry for the same code`);
      }
      const meaning = entry.meaning[tag];
      if (meaning !== undefined && meaning !== error.description) {
        throw new Error(`${where}: its ${tag} description differs from another operation's for the same code`);
      }
      entry.meaning[tag] = error.description;
      if (tag === english.tag && !entry.operations.includes(operationId)) entry.operations.push(operationId);
    }
  });
  const entries = [...byCode.values()].sort((a, b) => a.code - b.code);
  const keys = new Map();
  for (const entry of entries) {
    const other = keys.get(entry.key);
    if (other !== undefined) throw new Error(`business error key ${entry.key} names both ${other} and ${entry.code}`);
    keys.set(entry.key, entry.code);
  }
  return entries;
}

const str = (text) => JSON.stringify(text);

/** The source of generated/business-codes.ts for a bundled spec. */
export async function businessCodesModule(spec, header, root = resolve(import.meta.dirname, "..")) {
  const languages = await translatedSpecs(spec, root);
  const tags = languages.map((l) => l.tag);
  const entries = collectBusinessCodes(languages);
  const constants = entries
    .map(
      (e) =>
        `  /** ${e.code}: "${e.message}". ${e.meaning[tags[0]].replace(/\*\//g, "*\\/")} */\n  ${e.key}: ${e.code},`,
    )
    .join("\n");
  const rows = entries
    .map((e) =>
      [
        "  {",
        `    code: ${e.code},`,
        `    key: ${str(e.key)},`,
        `    message: ${str(e.message)},`,
        `    meaning: { ${tags.map((t) => `${str(t)}: ${str(e.meaning[t] ?? "")}`).join(", ")} },`,
        `    operations: [${e.operations.map(str).join(", ")}],`,
        "  },",
      ].join("\n"),
    )
    .join("\n");
  return `/**
 * ${header}
 * Every business error code of the Rizzit Open Platform API ${spec.info.version} (the spec's \`x-business-errors\`),
 * with its meaning in every docs language (English from the spec, the others from openapi/overlays/).
 */

/** The business codes by stable key: \`BusinessCode.${entries[0]?.key} === ${entries[0]?.code}\`. */
export const BusinessCode = {
${constants}
} as const;

/** A business code the spec lists. */
export type BusinessCode = (typeof BusinessCode)[keyof typeof BusinessCode];

/** The stable key of a business code, e.g. \`"GOODS_NOT_EXISTS"\`. */
export type BusinessKey = keyof typeof BusinessCode;

/** The languages the meanings are written in. */
export type BusinessErrorLanguage = ${tags.map(str).join(" | ")};

export interface BusinessErrorInfo {
  readonly code: BusinessCode;
  readonly key: BusinessKey;
  /** The \`msg\` the platform sends (always English). */
  readonly message: string;
  /** What the code means, per language. */
  readonly meaning: Readonly<Record<BusinessErrorLanguage, string>>;
  /** The operations (operationIds) that may answer it. */
  readonly operations: readonly string[];
}

/** Every business error, sorted by code. */
export const BUSINESS_ERRORS: readonly BusinessErrorInfo[] = [
${rows}
];

const BY_CODE: ReadonlyMap<number, BusinessErrorInfo> = new Map(BUSINESS_ERRORS.map((e) => [e.code, e]));

/** The entry of a business code, or undefined for a code the spec does not list. */
export function businessErrorOf(code: number): BusinessErrorInfo | undefined {
  return BY_CODE.get(code);
}
`;
}
