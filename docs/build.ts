// `npm run docs`: builds the bilingual docs site into docs/dist/ (or --out DIR) from generated/openapi.json.
//
//   dist/index.html                      choose a language
//   dist/<lang>/index.html               the guide + API reference, Redoc inlined (self-contained)
//   dist/downloads/openapi.<lang>.json   the bundle of that language (guide, samples and translations included)
//   dist/downloads/openapi.<lang>.yaml
//   dist/downloads/postman.<lang>.json   a Postman collection v2.1 of that language
//   dist/downloads/postman.sandbox.environment.json   its environment for the local sandbox
//   dist/downloads/rizzit-open-api-client-<version>.tgz   the TypeScript SDK, as npm packs it (sdk-download.ts)
//
// English is the spec itself; every other language is the spec with its overlay applied (see docs/README.md).
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { stringify as toYaml } from "yaml";
import { sdkTarballName } from "../client/scripts/pack.ts";
import { codeSamplesFor, SAMPLE_LANGUAGES } from "./code-samples.ts";
import { withTryItLinks, writeConsolePage } from "./console/page.ts";
import { assembleGuide } from "./guide.ts";
import type { JsonValue } from "./jsonpath.ts";
import { type Locale, locales } from "./locales.ts";
import { type JsonObject, listOperations } from "./operations.ts";
import { applyOverlay, loadOverlay } from "./overlay.ts";
import { chooserPage, type PageLink, pageTemplate } from "./page.ts";
import { POSTMAN_ENVIRONMENT_FILE, postmanCollection, postmanEnvironment } from "./postman.ts";
import { localiseRedoc } from "./redoc-interface.ts";
import { localiseSampleComments } from "./sample-comments.ts";
import { sandboxDemo, staticEnvironment } from "./sandbox-demo.ts";
import { packSdkInto } from "./sdk-download.ts";
import { operationAppendix } from "./tables.ts";

const run = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const defaultOutDir = join(repoRoot, "docs", "dist");

export interface BuildOptions {
  outDir?: string;
  /** The English bundle to start from (default generated/openapi.json). */
  specFile?: string;
  /** Overrides a locale's overlay file, e.g. to build with a deliberately incomplete one in a test. */
  overlayFor?: (locale: Locale) => string | null;
}

export function loadEnglishSpec(specFile = join(repoRoot, "generated", "openapi.json")): JsonObject {
  if (!existsSync(specFile)) throw new Error(`${specFile} is missing: run \`npm run build\` first`);
  const spec = JSON.parse(readFileSync(specFile, "utf8")) as JsonObject;
  // The do-not-edit notice is for the repository, not for a partner's download.
  delete spec["x-generated"];
  return spec;
}

/** The spec in one language, before the docs decorations: English as is, others with their overlay applied. */
export function translatedSpec(english: JsonObject, locale: Locale, overlayFile = locale.overlay): JsonObject {
  if (overlayFile === null) return structuredClone(english);
  return applyOverlay(english, loadOverlay(resolve(repoRoot, overlayFile)));
}

/** The downloads of one language's page: its spec and collection, then the files every language shares. */
const downloadsOf = (locale: Locale, prefix: string): PageLink[] => [
  ...languageDownloadsOf(locale, prefix),
  ...sharedDownloadsOf(locale, prefix),
];
const languageDownloadsOf = (locale: Locale, prefix: string): PageLink[] => [
  { label: locale.words.specJson, href: `${prefix}downloads/openapi.${locale.tag}.json` },
  { label: locale.words.specYaml, href: `${prefix}downloads/openapi.${locale.tag}.yaml` },
  { label: locale.words.postman, href: `${prefix}downloads/postman.${locale.tag}.json` },
];
const sharedDownloadsOf = (locale: Locale, prefix: string): PageLink[] => [
  { label: locale.words.postmanEnvironment, href: `${prefix}downloads/${POSTMAN_ENVIRONMENT_FILE}` },
  { label: locale.words.sdkTarball, href: `${prefix}downloads/${sdkTarballName()}` },
];

/** The language bundle as the docs show it: the guide as info.description, error tables and code samples added. */
export function docsBundle(spec: JsonObject, locale: Locale): JsonObject {
  const bundle = structuredClone(spec);
  const operations = listOperations(bundle);
  for (const op of operations) {
    op.node.description = `${op.description.trimEnd()}${operationAppendix(op, locale)}`;
    op.node["x-codeSamples"] = codeSamplesFor(op).map((sample) => ({
      ...sample,
      source: localiseSampleComments(sample.source, locale.tag),
    })) as unknown as JsonValue;
  }
  const info = bundle.info as JsonObject;
  info.description = assembleGuide(join(repoRoot, "docs", "guide"), {
    locale,
    operations,
    downloads: downloadsOf(locale, "../"),
    otherLanguages: locales.filter((l) => l !== locale).map((l) => ({ name: l.name, href: `../${l.tag}/` })),
  });
  return bundle;
}

// Redoc's "API docs by Redocly" attribution loads its logo from cdn.redoc.ly and has no option to turn that off.
// The page may load nothing from another host, so the logo is swapped for an inline SVG with the same word.
const REDOC_LOGO_URLS = ["https://cdn.redoc.ly/redoc/logo-mini-full.svg", "https://cdn.redoc.ly/redoc/logo-mini.svg"];
const INLINE_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="16" viewBox="0 0 64 16"><text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="700" fill="#0044d4">Redocly</text></svg>',
)}`;

function withoutOutsideResources(html: string, file: string): string {
  let result = html;
  for (const url of REDOC_LOGO_URLS) {
    if (!result.includes(url)) {
      throw new Error(`${file}: Redoc no longer references ${url}; check the page for other outside resources`);
    }
    result = result.split(url).join(INLINE_LOGO);
  }
  return result;
}

/**
 * Redoc's options, passed as a file because `codeSamples.languages` is a list (dot notation cannot say it), and the
 * CLI takes either a file or dot options, not both. Redoc shows only the x-codeSamples whose label is listed here.
 */
const redocOptions = (locale: Locale) => ({
  disableTelemetry: true,
  expandResponses: "200",
  jsonSamplesExpandLevel: 3,
  codeSamples: {
    languages: [
      ...SAMPLE_LANGUAGES.map(({ lang, label }) => ({ lang, label })),
      { lang: "payload", label: locale.words.payload },
    ],
  },
});

async function renderPage(bundleFile: string, locale: Locale, outDir: string, scratch: string): Promise<void> {
  const languages = locales.map((l) => ({ label: l.name, href: `../${l.tag}/`, lang: l.tag }));
  const template = join(scratch, `template.${locale.tag}.hbs`);
  writeFileSync(template, pageTemplate(locale, languages, downloadsOf(locale, "../")));
  const optionsFile = join(scratch, `redoc-options.${locale.tag}.json`);
  writeFileSync(optionsFile, JSON.stringify(redocOptions(locale)));
  const out = join(outDir, locale.tag, "index.html");
  try {
    await run(
      join(repoRoot, "node_modules", ".bin", "redocly"),
      [
        "build-docs",
        bundleFile,
        "--output",
        out,
        "--template",
        template,
        // Redoc inlined (no CDN) and its browser telemetry off (in redocOptions): no host but the page's own.
        "--inlineBundle",
        "--openapi",
        optionsFile,
      ],
      { cwd: repoRoot, env: { ...process.env, REDOCLY_TELEMETRY: "off" }, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`redocly build-docs failed for ${locale.tag}:\n${stdout ?? ""}${stderr ?? ""}`);
  }
  writeFileSync(out, localiseRedoc(withoutOutsideResources(readFileSync(out, "utf8"), out), locale));
}

export async function buildDocs(options: BuildOptions = {}): Promise<string> {
  const outDir = resolve(options.outDir ?? defaultOutDir);
  const english = loadEnglishSpec(options.specFile);
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, "downloads"), { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), "docs-build-"));
  try {
    // The SDK tarball is packed while the pages render (both mostly wait on child processes).
    const pages: Promise<unknown>[] = [packSdkInto(join(outDir, "downloads"))];
    for (const locale of locales) {
      const spec = translatedSpec(english, locale, options.overlayFor ? options.overlayFor(locale) : locale.overlay);
      const bundle = docsBundle(spec, locale);
      const bundleFile = join(outDir, "downloads", `openapi.${locale.tag}.json`);
      writeFileSync(bundleFile, `${JSON.stringify(bundle, null, 2)}\n`);
      writeFileSync(join(outDir, "downloads", `openapi.${locale.tag}.yaml`), toYaml(bundle, { lineWidth: 0 }));
      writeFileSync(
        join(outDir, "downloads", `postman.${locale.tag}.json`),
        `${JSON.stringify(postmanCollection(bundle, locale.tag), null, 2)}\n`,
      );
      mkdirSync(join(outDir, locale.tag), { recursive: true });
      // The page's bundle links each operation to the console; the downloads stay free of links into this site.
      const pageBundleFile = join(scratch, `page.${locale.tag}.json`);
      writeFileSync(pageBundleFile, JSON.stringify(withTryItLinks(bundle, locale)));
      pages.push(renderPage(pageBundleFile, locale, outDir, scratch));
      const languages = locales.map((l) => ({ label: l.name, href: `../${l.tag}/`, lang: l.tag }));
      writeConsolePage(outDir, {
        locale,
        bundle,
        languages,
        demoApps: sandboxDemo.apps,
        tenantId: sandboxDemo.tenantId,
      });
    }
    writeFileSync(
      join(outDir, "downloads", POSTMAN_ENVIRONMENT_FILE),
      `${JSON.stringify(postmanEnvironment(), null, 2)}\n`,
    );
    await Promise.all(pages);
    const languages = locales.map((l) => ({ label: l.name, href: `${l.tag}/`, lang: l.tag }));
    const downloads = [
      ...locales.flatMap((l) => languageDownloadsOf(l, "").map((d) => ({ ...d, label: `${l.name} · ${d.label}` }))),
      ...sharedDownloadsOf(locales[0] as Locale, ""),
    ];
    writeFileSync(join(outDir, "index.html"), chooserPage(languages, downloads));
    // The sandbox answers this path itself (mock/sandbox/docs-site.ts); any other server says nobody served the pages.
    writeFileSync(join(outDir, "environment.json"), `${JSON.stringify(staticEnvironment, null, 2)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const outDir = outIndex >= 0 ? args[outIndex + 1] : undefined;
  const started = Date.now();
  buildDocs(outDir ? { outDir } : {}).then(
    (dir) => console.log(`docs built in ${dir} (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
