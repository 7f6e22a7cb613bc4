// The HTML around Redoc: the Handlebars page template `redocly build-docs` fills (with a language switch and
// download links in a bar above Redoc), and the language chooser at the site root. Nothing here loads a resource:
// no web font, no image, no favicon request (the icon is an empty data: URL).
import type { Locale } from "./locales.ts";
import { labelsScript } from "./redoc-interface.ts";

export interface PageLink {
  label: string;
  href: string;
  lang?: string;
}

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
    .sequence-diagram svg { max-width: none; background: #fff; }`;

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
      escapeHandlebars(`  <nav class="lang-bar" aria-label="${escapeHtml(locale.words.otherLanguages)}">
    <span class="brand">Rizzit Open Platform</span>
    <span>${escapeHtml(locale.words.otherLanguages)}: ${langLinks}</span>
    <span>${escapeHtml(locale.words.downloads)}: ${downloadLinks}</span>
  </nav>
`),
    )
    .concat(`  {{{redocHTML}}}
</body>
</html>
`);
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
