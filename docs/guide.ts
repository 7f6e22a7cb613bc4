// Assembles the integration guide of one language from docs/guide/<lang>/*.md (in file-name order) and fills in
// the parts derived from the spec. The result becomes the bundle's info.description: Redoc lists its headings in
// the side menu before the API reference.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Locale } from "./locales.ts";
import type { OperationFacts } from "./operations.ts";
import { demoAppsTable, firstCallScript } from "./sandbox-demo.ts";
import { sequenceDiagramSvg } from "./sequence-diagram.ts";
import { allBusinessErrorsTable, operationsTable } from "./tables.ts";

export interface GuideContext {
  locale: Locale;
  operations: OperationFacts[];
  downloads: { label: string; href: string }[];
  otherLanguages: { name: string; href: string }[];
}

/** Placeholders a guide page may hold; each must appear in at least one page of every language. */
const PLACEHOLDERS: Record<string, (ctx: GuideContext) => string> = {
  "sequence-diagram": (ctx) => `<div class="sequence-diagram">${sequenceDiagramSvg(ctx.locale)}</div>`,
  "business-errors": (ctx) => allBusinessErrorsTable(ctx.operations, ctx.locale),
  operations: (ctx) => operationsTable(ctx.operations, ctx.locale),
  downloads: (ctx) => ctx.downloads.map((d) => `- [${d.label}](${d.href})`).join("\n"),
  "other-languages": (ctx) => ctx.otherLanguages.map((l) => `[${l.name}](${l.href})`).join(" · "),
  "sandbox-apps": () => demoAppsTable(),
  "first-call": (ctx) => firstCallScript(ctx.locale.words.firstCall),
};

export function guideFiles(guideDir: string, tag: string): string[] {
  const dir = join(guideDir, tag);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(dir, name));
}

/** The headings of a Markdown page (`#` lines outside fenced code), as [line index, level, text]. */
function headingsOf(lines: string[]): [number, string, string][] {
  const found: [number, string, string][] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6})\s+(.*?)\s*$/.exec(line);
    if (heading) found.push([index, heading[1] ?? "#", heading[2] ?? ""]);
  });
  return found;
}

const asciiSlug = (text: string): string =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "") || "section";

/**
 * The ASCII anchor of every heading of the guide, by page file name, taken from the English page: every language
 * gives its heading at the same place the same anchor, so a link copied from one language works in the other
 * (Redoc would otherwise slug the Chinese words). Anchors are unique across the guide.
 */
export function guideAnchors(guideDir: string): Map<string, string[]> {
  const anchors = new Map<string, string[]>();
  const used = new Set<string>();
  for (const file of guideFiles(guideDir, "en")) {
    const slugs = headingsOf(readFileSync(file, "utf8").split("\n")).map(([, , text]) => {
      const base = asciiSlug(text);
      let slug = base;
      for (let n = 2; used.has(slug); n++) slug = `${base}-${n}`;
      used.add(slug);
      return slug;
    });
    anchors.set(basename(file), slugs);
  }
  return anchors;
}

/** A page with each heading given its anchor (Markdoc's `{% #id %}` annotation, which Redoc uses as the id). */
function withAnchors(file: string, text: string, anchors: Map<string, string[]>, tag: string): string {
  const slugs = anchors.get(basename(file));
  if (!slugs) throw new Error(`docs/guide/${tag}/${basename(file)} has no English counterpart in docs/guide/en/`);
  const lines = text.split("\n");
  const headings = headingsOf(lines);
  if (headings.length !== slugs.length) {
    throw new Error(
      `docs/guide/${tag}/${basename(file)} has ${headings.length} headings, the English page ${slugs.length}: ` +
        "every language needs the same headings in the same order (they share their anchors)",
    );
  }
  headings.forEach(([index, level, heading], i) => {
    lines[index] = `${level} ${heading} {% #${slugs[i]} %}`;
  });
  return lines.join("\n");
}

export function assembleGuide(guideDir: string, ctx: GuideContext): string {
  const files = guideFiles(guideDir, ctx.locale.tag);
  if (files.length === 0) throw new Error(`docs/guide/${ctx.locale.tag}/ has no .md pages: add the guide pages`);
  const anchors = guideAnchors(guideDir);
  let text = files
    .map((file) => withAnchors(file, readFileSync(file, "utf8").trim(), anchors, ctx.locale.tag))
    .join("\n\n");
  for (const [name, render] of Object.entries(PLACEHOLDERS)) {
    const marker = `<!-- generated:${name} -->`;
    if (!text.includes(marker)) {
      throw new Error(`docs/guide/${ctx.locale.tag}/ lacks the ${marker} placeholder that every language has`);
    }
    text = text.split(marker).join(render(ctx));
  }
  const unknown = /<!-- generated:([a-z-]+) -->/.exec(text);
  if (unknown) throw new Error(`docs/guide/${ctx.locale.tag}/: unknown placeholder ${unknown[0]}`);
  return text;
}
