// The HTML around Redoc: the Handlebars page template `redocly build-docs` fills (with a language switch and
// download links in a bar above Redoc), and the language chooser at the site root. Nothing here loads a resource:
// no web font, no image, no favicon request (the icon is an empty data: URL).
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserScript } from "./browser-bundle.ts";
import { type Locale, locales } from "./locales.ts";
import { labelsScript } from "./redoc-interface.ts";
import { firstCallScript, sandboxDemo } from "./sandbox-demo.ts";

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
    [data-component-name="Markdown/Markdown"] > pre { position: relative; padding-right: 76px; overflow: visible; }
    [data-component-name="Markdown/Markdown"] > pre, [data-component-name="Markdown/Markdown"] > pre code {
      white-space: pre-wrap !important; overflow-wrap: anywhere; }
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
    .concat(
      escapeHandlebars(`  <script>${browserScript(join(here, "page-client.ts"))}</script>
</body>
</html>
`),
    );
}

/** Inline `code` in the start page's words (they are plain text with backticks, as in the guide). */
const withCode = (text: string): string => escapeHtml(text).replace(/`([^`]+)`/g, "<code>$1</code>");

/** One language's column of the start page: what the kit is, three steps to a first call, the demo applications. */
function startColumn(locale: Locale, link: PageLink): string {
  const w = locale.words.start;
  const apps = sandboxDemo.apps
    .map(
      (a) =>
        `<tr><td><code>${escapeHtml(a.clientId)}</code></td><td><code>${escapeHtml(a.clientSecret)}</code></td><td>${a.scopes.map((sc) => `<code>${escapeHtml(sc)}</code>`).join(" ")}</td></tr>`,
    )
    .join("\n          ");
  const steps = w.steps.map((step) => `<li>${withCode(step)}</li>`).join("\n          ");
  return `    <section class="column" lang="${locale.tag}">
      <a class="open" href="${escapeHtml(link.href)}" hreflang="${locale.tag}">${escapeHtml(w.open)} →</a>
      <p class="what">${withCode(w.what)}</p>
      <h2>${escapeHtml(w.stepsTitle)}</h2>
      <ol class="steps">
          ${steps}
      </ol>
      <div class="script"><button type="button" class="copy" data-copied="${escapeHtml(locale.words.copied)}">${escapeHtml(locale.words.copy)}</button><pre><code>${escapeHtml(firstCallScript(locale.words.firstCall))}</code></pre></div>
      <h2>${escapeHtml(w.credentials)}</h2>
      <table class="apps">
        <thead><tr><th>clientId</th><th>clientSecret</th><th>scope</th></tr></thead>
        <tbody>
          ${apps}
        </tbody>
      </table>
    </section>`;
}

/**
 * The site root, a start page in both languages side by side: what the kit is, three steps to a first call, the
 * sandbox's demo applications, the downloads. Its links to each language (`ul.languages`) are what tests follow.
 */
export function chooserPage(languages: PageLink[], downloads: PageLink[]): string {
  const items = languages
    .map(
      (l) =>
        `      <li><a href="${escapeHtml(l.href)}" hreflang="${l.lang}" lang="${l.lang}">${escapeHtml(l.label)}</a></li>`,
    )
    .join("\n");
  const columns = locales
    .map((locale) => {
      const link = languages.find((l) => l.lang === locale.tag);
      return link ? startColumn(locale, link) : "";
    })
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
    * { box-sizing: border-box; }
    body { font: 16px/1.6 -apple-system, "Segoe UI", Helvetica, Arial, "PingFang SC", "Microsoft YaHei", sans-serif;
      margin: 0; color: #0f172a; background: #f8fafc; }
    header { background: #0f172a; color: #e2e8f0; padding: 40px 24px 32px; }
    header > div, main { max-width: 1180px; margin: 0 auto; }
    header h1 { margin: 0 0 4px; font-size: 30px; color: #fff; }
    header p { margin: 0 0 18px; color: #cbd5e1; }
    a { color: #1d4ed8; }
    ul.languages { list-style: none; padding: 0; margin: 0; display: flex; gap: 12px; flex-wrap: wrap; }
    ul.languages a { display: inline-block; padding: 6px 18px; border-radius: 8px; background: #1d4ed8; color: #fff;
      font-weight: 600; text-decoration: none; font-size: 18px; }
    main { padding: 24px; }
    .columns { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 24px; }
    .column { background: #fff; border: 1px solid #e2e8f0; border-radius: 12px; padding: 22px 24px; min-width: 0; }
    .column .open { font-weight: 600; text-decoration: none; }
    .column h2 { font-size: 18px; margin: 22px 0 8px; }
    .what { color: #334155; }
    .steps { padding-left: 22px; margin: 0 0 12px; }
    .steps li { margin: 6px 0; }
    code { font: 0.88em ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: #f1f5f9; border-radius: 4px;
      padding: 1px 4px; overflow-wrap: anywhere; }
    .script { position: relative; }
    .script pre { margin: 0; background: #0f172a; color: #e2e8f0; border-radius: 8px; padding: 14px 72px 14px 16px; overflow: auto;
      white-space: pre-wrap; overflow-wrap: anywhere; font-size: 13px; line-height: 1.5; }
    .script pre code { background: none; padding: 0; color: inherit; }
    .script .copy { position: absolute; top: 8px; right: 8px; font-size: 12px; padding: 2px 10px; border-radius: 6px;
      border: 1px solid #475569; background: #1e293b; color: #e2e8f0; cursor: pointer; }
    table.apps { border-collapse: collapse; width: 100%; font-size: 14px; }
    table.apps th, table.apps td { text-align: left; border-bottom: 1px solid #e2e8f0; padding: 6px 8px 6px 0;
      vertical-align: top; }
    footer { max-width: 1180px; margin: 0 auto; padding: 0 24px 40px; }
    footer h2 { font-size: 18px; }
  </style>
</head>
<body>
  <header>
    <div>
      <h1>Rizzit Open Platform API</h1>
      <p>Integration guide, API reference and a local sandbox · 对接指南、接口参考与本地沙箱</p>
      <nav aria-label="Language · 语言">
        <ul class="languages">
${items}
        </ul>
      </nav>
    </div>
  </header>
  <main>
    <div class="columns">
${columns}
    </div>
  </main>
  <footer>
    <h2>Downloads · 下载</h2>
    <ul>
${files}
    </ul>
  </footer>
  <script>
    for (const button of document.querySelectorAll("button.copy")) {
      button.addEventListener("click", async () => {
        await navigator.clipboard.writeText(button.nextElementSibling.textContent);
        const label = button.textContent;
        button.textContent = button.dataset.copied;
        setTimeout(() => { button.textContent = label; }, 1500);
      });
    }
  </script>
</body>
</html>
`;
}
