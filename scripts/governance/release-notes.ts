// The change-history entry of a release, in English and Chinese, written from the rated changes: breaking changes
// first, then additions, then other changes; wording-only changes (descriptions, examples) are counted, not listed.
import type { RatedChange } from "./impact.ts";

export const SPEC_FILE = "openapi/openapi.yaml";
export const OVERLAY_FILE = "openapi/overlays/zh-CN.overlay.yaml";
/** Every change-history table a release appends its row to, with the language of the row. */
export const HISTORY_FILES: { file: string; lang: "en" | "zh" }[] = [
  { file: "docs/guide/en/10-changes.md", lang: "en" },
  { file: "docs/guide/zh-CN/10-changes.md", lang: "zh" },
  { file: SPEC_FILE, lang: "en" },
  { file: OVERLAY_FILE, lang: "zh" },
];

export interface Note {
  en: string;
  zh: string;
}

/** Properties whose change is documentation only. */
const DOC_PROPERTIES = new Set(["description", "summary", "title", "example", "examples", "x-enumDescriptions"]);

/** Changes that are the release itself, not part of what it releases. */
function isReleaseBookkeeping(change: RatedChange): boolean {
  return change.pointer === "#/info" && (change.property === "version" || change.property === "description");
}

export function isDocumentationOnly(change: RatedChange): boolean {
  if (change.impact !== "patch") return false;
  if (change.rule === "kit/unrated-change" || change.rule === "kit/business-error-text-changed") return true;
  if (DOC_PROPERTIES.has(change.property ?? "")) return true;
  return /\/(x-enumDescriptions|description|summary|title|examples?)(\/|$)/.test(change.pointer);
}

const PARTS_ZH: [RegExp, string][] = [
  [/^request body$/, "请求体"],
  [/^response (\w+)$/, "响应 $1"],
  [/^parameter (.+)$/, "参数 $1"],
  [/^security$/, "安全要求"],
  [/^securitySchemes (.+)$/, "安全方案 $1"],
  [/^servers$/, "服务器"],
];
const partZh = (part: string): string => {
  for (const [pattern, zh] of PARTS_ZH) if (pattern.test(part)) return part.replace(pattern, zh);
  return part;
};

const code = (text: string | number | undefined): string => `\`${text ?? ""}\``;

/** Redocly's type names of what a change added or removed, in the notes' words. */
const TYPE_NAMES: Record<string, Note> = {
  LinksMap: { en: "links", zh: "链接(links)" },
  Link: { en: "link", zh: "链接(link)" },
  Header: { en: "header", zh: "响应头" },
  HeadersMap: { en: "headers", zh: "响应头" },
  MediaType: { en: "media type", zh: "媒体类型" },
  Parameter: { en: "parameter", zh: "参数" },
  Response: { en: "response", zh: "响应" },
  RequestBody: { en: "request body", zh: "请求体" },
  Server: { en: "server", zh: "服务器" },
  SecurityRequirement: { en: "security requirement", zh: "安全要求" },
  Example: { en: "example", zh: "示例" },
};

/** One line of the notes for one change, in both languages. */
export function noteFor(change: RatedChange): Note {
  const op = change.operationId ? code(change.operationId) : "";
  const facts = change.facts ?? {};
  switch (change.rule) {
    case "kit/business-error-added":
      return { en: `${op}: new business error ${code(facts.code)}`, zh: `${op}:新增业务错误码 ${code(facts.code)}` };
    case "kit/business-error-removed":
      return {
        en: `${op}: business error ${code(facts.code)} no longer answered`,
        zh: `${op}:不再返回业务错误码 ${code(facts.code)}`,
      };
    case "kit/business-error-code-changed":
      return {
        en: `${op}: business error ${facts.key} renumbered from ${code(facts.code)} to ${code(facts.newCode)}`,
        zh: `${op}:业务错误 ${facts.key} 的错误码由 ${code(facts.code)} 改为 ${code(facts.newCode)}`,
      };
    case "kit/scope-added":
      return { en: `new scope ${code(facts.scope)}`, zh: `新增 scope ${code(facts.scope)}` };
    case "kit/scope-removed":
      return { en: `scope ${code(facts.scope)} removed`, zh: `删除 scope ${code(facts.scope)}` };
    case "kit/response-status-added":
      return { en: `${op} may answer HTTP ${facts.status}`, zh: `${op} 可能返回 HTTP ${facts.status}` };
    case "path-removed":
    case "operation-removed":
      return { en: `removed ${change.where}`, zh: `删除接口 ${change.where}` };
  }
  const part = change.part ?? "";
  const field = change.field ? ` ${code(change.field)}` : "";
  const isPathItem = /^#\/paths\/[^/]+(\/[a-z]+)?$/.test(change.pointer);
  if (isPathItem && change.kind === "added") {
    return { en: `new operation ${op || change.where}`, zh: `新增接口 ${op || change.where}` };
  }
  const enWhere = [op, part].filter(Boolean).join(" ") + field;
  const zhWhere = [op, partZh(part)].filter(Boolean).join(" ") + field;
  // Without a field, name what was added or removed (links, a header, a media type...).
  const thing = field ? undefined : TYPE_NAMES[String(facts.type)];
  if (change.kind === "added") {
    return { en: `${enWhere}: ${thing ? `${thing.en} ` : ""}added`, zh: `${zhWhere}:新增${thing?.zh ?? ""}` };
  }
  if (change.kind === "removed") {
    return { en: `${enWhere}: ${thing ? `${thing.en} ` : ""}removed`, zh: `${zhWhere}:删除${thing?.zh ?? ""}` };
  }
  const property = change.property ? code(change.property) : "";
  return { en: `${enWhere}: ${property} changed`.trim(), zh: `${zhWhere}:${property} 变更` };
}

const unique = (notes: Note[]): Note[] => [...new Map(notes.map((n) => [n.en, n])).values()];

/** The text of the "Changes" cell of the change-history table. */
export function releaseEntry(changes: RatedChange[]): Note {
  const relevant = changes.filter((c) => !isReleaseBookkeeping(c));
  const docs = relevant.filter(isDocumentationOnly).length;
  const listed = relevant.filter((c) => !isDocumentationOnly(c));
  const group = (impact: RatedChange["impact"]) => unique(listed.filter((c) => c.impact === impact).map(noteFor));
  const sections: [Note, Note[]][] = [
    [{ en: "**Breaking:**", zh: "**不兼容变更:**" }, group("major")],
    [{ en: "**Added:**", zh: "**新增:**" }, group("minor")],
    [{ en: "**Changed:**", zh: "**变更:**" }, group("patch")],
  ];
  const en: string[] = [];
  const zh: string[] = [];
  for (const [title, notes] of sections) {
    if (notes.length === 0) continue;
    en.push(`${title.en} ${notes.map((n) => n.en).join("; ")}.`);
    zh.push(`${title.zh}${notes.map((n) => n.zh).join(";")}。`);
  }
  if (docs > 0) {
    en.push(`Documentation: ${docs} description(s) or example(s) updated.`);
    zh.push(`文档:更新 ${docs} 处说明或示例。`);
  }
  if (en.length === 0) return { en: "No contract changes.", zh: "契约无变更。" };
  return { en: en.join(" "), zh: zh.join("") };
}

const HISTORY_ROW = /^(\s*)\| v\d+(\.\d+)*\s*\|/;

/** The versions listed in a change-history table (Markdown, or a spec description holding one). */
export function historyVersions(text: string): string[] {
  return text
    .split("\n")
    .map((line) => HISTORY_ROW.exec(line) && /\| (v[\d.]+)\s*\|/.exec(line)?.[1])
    .filter((v): v is string => Boolean(v));
}

/** Appends a row after the last row of the change-history table in `text`, at that row's indentation. */
export function appendHistoryRow(text: string, cells: [string, string, string]): string {
  const lines = text.split("\n");
  let last = -1;
  lines.forEach((line, i) => {
    if (HISTORY_ROW.test(line)) last = i;
  });
  if (last < 0) throw new Error("no change-history table (rows starting with `| v<version> |`) to append to");
  const indent = HISTORY_ROW.exec(lines[last] as string)?.[1] ?? "";
  const row = `${indent}| ${cells.map((c) => c.replace(/\|/g, "\\|").replace(/\n/g, " ")).join(" | ")} |`;
  lines.splice(last + 1, 0, row);
  return lines.join("\n");
}
