// Assembles the integration guide of one language from docs/guide/<lang>/*.md (in file-name order) and fills in
// the parts derived from the spec. The result becomes the bundle's info.description: Redoc lists its headings in
// the side menu before the API reference.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Locale } from "./locales.ts";
import type { OperationFacts } from "./operations.ts";
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
};

export function guideFiles(guideDir: string, tag: string): string[] {
  const dir = join(guideDir, tag);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => join(dir, name));
}

export function assembleGuide(guideDir: string, ctx: GuideContext): string {
  const files = guideFiles(guideDir, ctx.locale.tag);
  if (files.length === 0) throw new Error(`docs/guide/${ctx.locale.tag}/ has no .md pages: add the guide pages`);
  let text = files.map((file) => readFileSync(file, "utf8").trim()).join("\n\n");
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
