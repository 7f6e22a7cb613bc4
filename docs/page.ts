// The HTML around Redoc: the Handlebars page template `redocly build-docs` fills (with a language switch and
// download links in a bar above Redoc), and the language chooser at the site root. Nothing here loads a resource:
// no web font, no image, no favicon request (the icon is an empty data: URL).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserScript } from "./browser-bundle.ts";
import type { Locale } from "./locales.ts";
import { labelsScript } from "./redoc-interface.ts";

export interface PageLink {
  label: string;
  href: string;
  lang?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

// Handlebars would read "{{" in our own text as an expression: escape it.
const escapeHandlebars = (text: string): string => text.replace(/\{\{/g, "\\{{");

const STYLE = `
    body { padding: 0; margin: 0; }
    .lang-bar { display: flex; gap: 24px; align-items: center; justify-content: flex-end; flex-wrap: wrap;
      padding: 8px 24px; font: 14px/1.4 -apple-system, "Segoe UI", Helvetica, Arial, "PingFang SC", "Microsoft YaHei", sans-serif;
      background: #0f172a; color: #e2e8f0; }
    .lang-bar a { color: #93c5fd; text-decoration: none; }
    .lang-bar a:hover { text-decoration: underline; }
    .lang-bar .current { font-weight: 600; color: #fff; }
    .lang-bar .brand { margin-right: auto; font-weight: 600; }
    .sequence-diagram { margin: 16px 0; overflow: visible; position: relative; z-index: 1; }
    .sequence-diagram svg { max-width: none; background: #fff; }
    .lang-bar .try-it-bar { font-weight: 600; }
    a.try-it { display: inline-block; margin: 2px 0 6px; padding: 5px 12px; border-radius: 6px; background: #1d4ed8;
      color: #fff !important; font-weight: 600; font-size: 14px; text-decoration: none; }
    a.try-it:hover { background: #1e40af; }
    /* The guide's code blocks wrap instead of clipping, and carry a copy button (added by the script below). */
    [data-component-name="Markdown/Markdown"] > pre { white-space: pre-wrap; overflow-wrap: anywhere; position: relative;
      padding-right: 76px; }
    .guide-copy { position: absolute; top: 8px; right: 8px; padding: 2px 10px; font: 12px/1.6 sans-serif; cursor: pointer;
      border: 1px solid #cbd5e1; border-radius: 6px; background: #fff; color: #0f172a; white-space: nowrap; }
    .guide-copy:hover { background: #f1f5f9; }
    /* Phones: Redoc shows a floating menu button from 672 px down. It sits on our (sticky, opaque) bar instead of
       over the text, and headings scrolled to stay clear of the bar. */
    @media screen and (max-width: 672px) {
      .lang-bar { position: sticky; top: 0; z-index: 99; height: 52px; padding: 0 64px 0 16px; gap: 16px;
        justify-content: flex-start; flex-wrap: nowrap; white-space: nowrap; overflow: hidden; }
      .lang-bar .brand, .lang-bar .downloads, .lang-bar .label { display: none; }
      .menu-content { top: 52px !important; height: calc(100% - 52px) !important; }
      [data-testid="floating-button"] { top: 6px !important; bottom: auto !important; right: 10px !important;
        width: 40px !important; height: 40px !important; box-shadow: none !important; }
      [data-section-id], [id] { scroll-margin-top: 60px; }
    }`;

export function pageTemplate(locale: Locale, languages: PageLink[], downloads: PageLink[]): string {
  const langLinks = languages
    .map((l) =>
      l.lang === locale.tag
        ? `<span class="current" lang="${l.lang}">${escapeHtml(l.label)}</span>`
        : `<a href="${escapeHtml(l.href)}" hreflang="${l.lang}" lang="${l.lang}" data-lang-link="${l.lang}">${escapeHtml(l.label)}</a>`,
    )
    .join(" · ");
  const downloadLinks = downloads
    .map((d) => `<a href="${escapeHtml(d.href)}" download>${escapeHtml(d.label)}</a>`)
    .join(" · ");
  return escapeHandlebars(`<!DOCTYPE html>
<html lang="${locale.tag}">
<head>
  <meta charset="utf-8" />
  <title>${escapeHtml(locale.words.pageTitle)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <style>${STYLE}
  </style>
  ${labelsScript(locale)}
`)
    .concat(`  {{{redocHead}}}
</head>
<body>
`)
    .concat(
      escapeHandlebars(`  <nav class="lang-bar" aria-label="${escapeHtml(locale.words.otherLanguages)}" data-copy="${escapeHtml(locale.words.copy)}" data-copied="${escapeHtml(locale.words.copied)}">
    <span class="brand">Rizzit Open Platform</span>
    <a class="try-it-bar" href="console.html" data-console-link>▶ ${escapeHtml(locale.words.console.tryIt)}</a>
    <span><span class="label">${escapeHtml(locale.words.otherLanguages)}: </span>${langLinks}</span>
    <span class="downloads">${escapeHtml(locale.words.downloads)}: ${downloadLinks}</span>
  </nav>
`),
    )
    .concat(`  {{{redocHTML}}}
`)
    .concat(escapeHandlebars(`  <script>${browserScript(join(here, "page-client.ts"))}</script>
</body>
</html>
`));
}

/** The site root: choose a language (both names in their own language, so anyone can find theirs). */
export function chooserPage(languages: PageLink[], downloads: PageLink[]): string {
  const items = languages
    .map(
      (l) =>
        `      <li><a href="${escapeHtml(l.href)}" hreflang="${l.lang}" lang="${l.lang}">${escapeHtml(l.label)}</a></li>`,
    )
    .join("\n");
  const files = downloads
    .map((d) => `      <li><a href="${escapeHtml(d.href)}" download>${escapeHtml(d.label)}</a></li>`)
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Rizzit Open Platform API docs · 开放平台接口文档</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <style>
    body { font: 16px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, "PingFang SC", "Microsoft YaHei", sans-serif;
      max-width: 640px; margin: 64px auto; padding: 0 24px; color: #0f172a; }
    a { color: #1d4ed8; }
    ul.languages { list-style: none; padding: 0; display: flex; gap: 24px; font-size: 22px; }
  </style>
</head>
<body>
  <h1>Rizzit Open Platform API</h1>
  <p>Integration guide and API reference · 对接指南与接口参考</p>
  <nav aria-label="Language · 语言">
    <ul class="languages">
${items}
    </ul>
  </nav>
  <h2>Downloads · 下载</h2>
  <ul>
${files}
  </ul>
</body>
</html>
`;
}
