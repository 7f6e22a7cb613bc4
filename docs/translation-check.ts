// Finds text of a translated bundle that is still the English text (or has no word of the target script).
// Walks the English and the translated bundle side by side; used by test/docs/translation.test.ts and by anyone
// adding a language (`npx tsx docs/translation-check.ts zh-CN` lists what is left to translate).
import { fileURLToPath } from "node:url";
import type { JsonValue } from "./jsonpath.ts";

export interface Finding {
  /** JSONPath of the text, usable as (the parent of) an overlay target. */
  path: string;
  english: string;
  translated: string | undefined;
  problem: "same as English" | "missing" | "no text in the target script";
}

/** Keys whose string value a reader sees as prose. */
const PROSE_KEYS = new Set(["description", "summary", "title"]);
/** Maps whose every string value is prose (keyed by enum value or scope name). */
const PROSE_MAPS = new Set(["x-enumDescriptions", "scopes"]);
/** Data and code, never translated: example values, samples, enum/const values. */
const SKIP_KEYS = new Set(["value", "example", "x-codeSamples", "enum", "const", "default", "x-generated"]);

/**
 * Text that is the same in every language by nature: once code spans, URLs, numbers and punctuation are gone,
 * no letter is left (e.g. "1688", "`goodsId`", "https://api.rizzitgo.com").
 */
export function isLanguageNeutral(text: string): boolean {
  const stripped = text
    .replace(/`[^`]*`/g, " ")
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/[\d\p{P}\p{S}\s]+/gu, "");
  return stripped.length === 0;
}

const SCRIPTS: Record<string, RegExp> = {
  "zh-CN": /\p{Script=Han}/u,
};

const pathOf = (parent: string, key: string): string =>
  /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? `${parent}.${key}` : `${parent}['${key.replace(/'/g, "\\'")}']`;

export function findUntranslated(english: JsonValue, translated: JsonValue, languageTag: string): Finding[] {
  const script = SCRIPTS[languageTag];
  const findings: Finding[] = [];
  const check = (path: string, en: string, tr: JsonValue | undefined): void => {
    if (isLanguageNeutral(en)) return;
    if (typeof tr !== "string") findings.push({ path, english: en, translated: undefined, problem: "missing" });
    else if (tr.trim() === en.trim()) findings.push({ path, english: en, translated: tr, problem: "same as English" });
    else if (script && !script.test(tr)) {
      findings.push({ path, english: en, translated: tr, problem: "no text in the target script" });
    }
  };
  const walk = (en: JsonValue, tr: JsonValue | undefined, path: string, proseMap: boolean): void => {
    if (Array.isArray(en)) {
      en.forEach((item, i) => {
        walk(item, Array.isArray(tr) ? tr[i] : undefined, `${path}[${i}]`, false);
      });
      return;
    }
    if (en === null || typeof en !== "object") return;
    const trObject = tr !== null && typeof tr === "object" && !Array.isArray(tr) ? tr : undefined;
    for (const [key, value] of Object.entries(en)) {
      if (SKIP_KEYS.has(key)) continue;
      if (key === "examples" && Array.isArray(value)) continue;
      const child = pathOf(path, key);
      const trValue = trObject?.[key];
      if (typeof value === "string") {
        if (proseMap || PROSE_KEYS.has(key)) check(child, value, trValue);
      } else {
        walk(value, trValue, child, PROSE_MAPS.has(key));
      }
    }
  };
  walk(english, translated, "$", false);
  return findings;
}

/** Every tag needs a translated display name (tag names are identifiers and stay English). */
export function tagsWithoutDisplayName(translated: JsonValue): string[] {
  if (translated === null || typeof translated !== "object" || Array.isArray(translated)) return [];
  const tags = (translated.tags ?? []) as { name: string; "x-displayName"?: string }[];
  return tags.filter((tag) => typeof tag["x-displayName"] !== "string").map((tag) => tag.name);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { loadEnglishSpec, translatedSpec } = await import("./build.ts");
  const { locales } = await import("./locales.ts");
  const tag = process.argv[2] ?? "zh-CN";
  const locale = locales.find((l) => l.tag === tag);
  if (!locale || locale.overlay === null) {
    console.error(`unknown translated language "${tag}": one of ${locales.filter((l) => l.overlay).map((l) => l.tag)}`);
    process.exit(2);
  }
  const english = loadEnglishSpec();
  const findings = findUntranslated(english, translatedSpec(english, locale), tag);
  for (const f of findings) console.log(`${f.problem}: ${f.path}\n    ${f.english.replace(/\n/g, " ").slice(0, 160)}`);
  console.log(findings.length === 0 ? `${tag}: everything is translated` : `${tag}: ${findings.length} to translate`);
  process.exit(findings.length === 0 ? 0 : 1);
}
