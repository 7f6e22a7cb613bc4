// The try-it console: one self-contained page per language (`<lang>/console.html`), linked from every operation of
// the reference ("Try it in the sandbox"). The browser code is docs/console/client.ts, bundled here by esbuild.
//
// Why a page of our own rather than a library's console: the maintained candidate, Scalar's API reference/client,
// ships a zh-CN interface only in releases that declare Node >= 22 (the kit supports Node 20; its last Node 20
// release, 1.46.4, has no Chinese), its standalone bundle is 4.9 MB next to Redoc's 2.7 MB, and it names a dozen
// scalar.com hosts (fonts, proxy, registry, api) that each need an option and a test to keep quiet. The platform's
// flow is small and fixed (one token call with HTTP Basic and tenant-id, then one call), and showing both calls
// side by side is the point; that is about 300 lines here, type-checked with the rest of the kit.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { browserScript } from "../browser-bundle.ts";
import { DEFAULT_BASE_URL } from "../code-samples.ts";
import type { Locale } from "../locales.ts";
import { type JsonObject, listOperations } from "../operations.ts";
import type { PageLink } from "../page.ts";
import { LOCAL_SANDBOX } from "../sandbox-demo.ts";
import type { DocsEnvironment } from "../served-page.ts";
import type { ConsoleData } from "./client.ts";

const here = dirname(fileURLToPath(import.meta.url));

const escapeHtml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/**
 * A copy of the docs bundle where every operation links to the console, after its own description and before the
 * scope and error tables the build appends (so search excerpts start with the description, not the link).
 */
export function withTryItLinks(bundle: JsonObject, locale: Locale): JsonObject {
  const copy = structuredClone(bundle);
  const w = locale.words;
  for (const op of listOperations(copy)) {
    const link = `<a class="try-it" href="console.html#${op.operationId}">▶ ${escapeHtml(w.console.tryIt)}</a>`;
    const appendix = [`\n\n**${w.requiredScope}:**`, `\n\n### ${w.businessErrors}`]
      .map((marker) => op.description.indexOf(marker))
      .filter((at) => at >= 0);
    const at = appendix.length > 0 ? Math.min(...appendix) : op.description.length;
    op.node.description = `${op.description.slice(0, at)}\n\n${link}${op.description.slice(at)}`;
  }
  return copy;
}

const STYLE = `
  :root { color-scheme: light; --navy: #0f172a; --line: #e2e8f0; --muted: #475569; --accent: #1d4ed8; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, "PingFang SC", "Microsoft YaHei", sans-serif;
    color: var(--navy); background: #f8fafc; }
  .lang-bar { display: flex; gap: 24px; align-items: center; justify-content: flex-end; flex-wrap: wrap; padding: 8px 24px;
    font-size: 14px; background: var(--navy); color: #e2e8f0; }
  .lang-bar a { color: #93c5fd; text-decoration: none; }
  .lang-bar a:hover { text-decoration: underline; }
  .lang-bar .brand { margin-right: auto; font-weight: 600; }
  .lang-bar .current { font-weight: 600; color: #fff; }
  main { max-width: 1280px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 26px; margin: 8px 0 4px; }
  .intro { color: var(--muted); margin: 0 0 20px; max-width: 900px; }
  .columns { display: grid; grid-template-columns: minmax(320px, 440px) minmax(0, 1fr); gap: 24px; align-items: start; }
  @media (max-width: 900px) { .columns { grid-template-columns: minmax(0, 1fr); } main { padding: 16px; } }
  form { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 18px; display: grid; gap: 14px; }
  label, legend { font-weight: 600; font-size: 13px; color: var(--muted); text-transform: none; }
  label { display: grid; gap: 4px; }
  fieldset { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px 12px; margin: 0; display: grid; gap: 8px; }
  select, input, textarea, button { font: inherit; }
  select, input, textarea { width: 100%; padding: 7px 9px; border: 1px solid #cbd5e1; border-radius: 6px; background: #fff;
    color: var(--navy); }
  textarea { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; min-height: 150px; resize: vertical; }
  .endpoint { margin: -6px 0 0; font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: var(--accent);
    overflow-wrap: anywhere; }
  .note { margin: 0; font-size: 13px; color: var(--muted); }
  .note.warn { color: #92400e; background: #fffbeb; border: 1px solid #fde68a; border-radius: 6px; padding: 6px 8px; }
  .row { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  button { cursor: pointer; border-radius: 6px; border: 1px solid #cbd5e1; background: #fff; padding: 6px 12px; }
  button.link { border: 0; padding: 0; background: none; color: var(--accent); font-size: 13px; }
  #send { background: var(--accent); border-color: var(--accent); color: #fff; font-weight: 600; padding: 9px 18px;
    justify-self: start; }
  #send:disabled { background: #94a3b8; border-color: #94a3b8; cursor: not-allowed; }
  #calls { display: grid; gap: 16px; min-width: 0; }
  #calls:empty::before { content: attr(data-empty); color: var(--muted); border: 1px dashed #cbd5e1; border-radius: 10px;
    padding: 28px; text-align: center; }
  .call { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; min-width: 0; }
  .call h3 { margin: 0 0 8px; font-size: 16px; display: flex; gap: 8px; align-items: center; flex-wrap: wrap; }
  .step { background: #e0e7ff; color: #3730a3; border-radius: 999px; padding: 1px 9px; font-size: 12px; }
  .badge { border-radius: 6px; padding: 1px 8px; font: 600 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
  .badge.ok { background: #dcfce7; color: #166534; }
  .badge.fail { background: #fee2e2; color: #991b1b; }
  .ms { color: var(--muted); font-size: 12px; font-weight: 400; }
  .label { margin: 10px 0 4px; font-size: 12px; font-weight: 600; color: var(--muted); }
  pre { margin: 0; padding: 10px 12px; border-radius: 8px; background: #0f172a; color: #e2e8f0; overflow: auto;
    font: 12.5px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere;
    max-height: 420px; }
  pre.headers { max-height: 160px; }
  .error { color: #991b1b; margin: 8px 0 0; }
`;

export interface ConsolePageInput {
  locale: Locale;
  /** The docs bundle of the locale (operations with their translated summaries and tags). */
  bundle: JsonObject;
  languages: PageLink[];
  demoApps: DocsEnvironment["demoApps"];
  tenantId: string;
}

export function consolePage({ locale, bundle, languages, demoApps, tenantId }: ConsolePageInput): string {
  const w = locale.words.console;
  const tags = (bundle.tags ?? []) as { name: string; "x-displayName"?: string }[];
  const data: ConsoleData = {
    words: w,
    operations: listOperations(bundle).map((op) => ({
      operationId: op.operationId,
      summary: op.summary,
      tag: op.tag,
      method: op.method,
      path: op.path,
      auth: op.auth,
      scope: op.scope,
      contentType: op.contentType,
      example: op.requestExample,
    })),
    tagNames: Object.fromEntries(tags.map((t) => [t.name, t["x-displayName"] ?? t.name])),
    demoApps,
    tenantId,
    servers: { localSandbox: LOCAL_SANDBOX, qaGateway: DEFAULT_BASE_URL },
  };
  const langLinks = languages
    .map((l) =>
      l.lang === locale.tag
        ? `<span class="current" lang="${l.lang}">${escapeHtml(l.label)}</span>`
        : `<a href="${escapeHtml(l.href)}console.html" hreflang="${l.lang}" lang="${l.lang}" data-lang-link="${l.lang}" data-keep-hash="console">${escapeHtml(l.label)}</a>`,
    )
    .join(" · ");
  return `<!DOCTYPE html>
<html lang="${locale.tag}">
<head>
  <meta charset="utf-8" />
  <title>${escapeHtml(w.title)}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="icon" href="data:,">
  <style>${STYLE}</style>
</head>
<body>
  <nav class="lang-bar" aria-label="${escapeHtml(locale.words.otherLanguages)}">
    <span class="brand">Rizzit Open Platform</span>
    <a href="index.html" data-keep-hash="operation">← ${escapeHtml(w.reference)}</a>
    <span>${escapeHtml(locale.words.otherLanguages)}: ${langLinks}</span>
  </nav>
  <main>
    <h1>${escapeHtml(w.title)}</h1>
    <p class="intro">${escapeHtml(w.intro)}</p>
    <div class="columns">
      <form id="console-form" autocomplete="off">
        <label>${escapeHtml(w.operation)}<select id="operation"></select></label>
        <p class="endpoint" id="endpoint"></p>
        <fieldset>
          <legend>${escapeHtml(w.server)}</legend>
          <select id="server" aria-label="${escapeHtml(w.server)}"></select>
          <input id="server-custom" type="url" placeholder="http://127.0.0.1:4010" aria-label="${escapeHtml(w.otherServer)}" hidden>
          <p class="note warn" id="server-note" hidden></p>
        </fieldset>
        <fieldset>
          <legend>${escapeHtml(w.credentials)}</legend>
          <label>${escapeHtml(w.demoApp)}<select id="demo-app"></select></label>
          <label>clientId<input id="client-id" spellcheck="false"></label>
          <label>clientSecret<input id="client-secret" spellcheck="false"></label>
          <label>tenant-id<input id="tenant-id" spellcheck="false"></label>
          <div class="row"><button type="button" class="link" id="reset-credentials">${escapeHtml(w.reset)}</button></div>
          <p class="note">${escapeHtml(w.keptLocally)}</p>
        </fieldset>
        <label>${escapeHtml(w.body)}<textarea id="body" spellcheck="false"></textarea></label>
        <p class="note" id="body-note" hidden>${escapeHtml(w.tokenPlaceholder)}</p>
        <button id="send" type="submit" disabled>${escapeHtml(w.send)}</button>
      </form>
      <div id="calls" aria-live="polite" data-empty="${escapeHtml(w.empty)}"></div>
    </div>
  </main>
  <script type="application/json" id="console-data">${JSON.stringify(data).replace(/</g, "\\u003c")}</script>
  <script>${browserScript(join(here, "client.ts"))}</script>
</body>
</html>
`;
}

export function writeConsolePage(outDir: string, input: ConsolePageInput): void {
  writeFileSync(join(outDir, input.locale.tag, "console.html"), consolePage(input));
}
