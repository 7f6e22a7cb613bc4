// What the build adds to the pages for a partner's first call, checked on the built files (no browser): shared ASCII
// anchors, Redoc's interface patches (and the build refusing a bundle they no longer fit), sample comments in the
// page's language with the code unchanged, the console pages, and the two-step first call of the guide and the
// start page, run for real against a sandbox.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CodeSample, DEFAULT_BASE_URL } from "../../docs/code-samples.ts";
import { assembleGuide, guideAnchors } from "../../docs/guide.ts";
import { locales } from "../../docs/locales.ts";
import { type JsonObject, listOperations } from "../../docs/operations.ts";
import { LABELS, localiseRedoc } from "../../docs/redoc-interface.ts";
import { codeOnly, commentOf } from "../../docs/sample-comments.ts";
import { firstCallScript, sandboxDemo } from "../../docs/sandbox-demo.ts";
import { sampleDefaultCount } from "../../docs/served-page.ts";
import { repoRoot, startSandbox } from "../helpers.ts";
import { builtSite } from "./built-site.ts";

const run = promisify(execFile);
let site: string;
beforeAll(async () => {
  site = await builtSite();
});

const read = (...parts: string[]): string => readFileSync(join(site, ...parts), "utf8");
const samplesOf = (tag: string): CodeSample[] =>
  listOperations(JSON.parse(read("downloads", `openapi.${tag}.json`)) as JsonObject).flatMap(
    (op) => op.node["x-codeSamples"] as unknown as CodeSample[],
  );
const zh = locales.find((l) => l.tag === "zh-CN");
const en = locales.find((l) => l.tag === "en");

/** Comment texts of the samples that hold no Chinese (an install command alone is code, not prose). */
function untranslatedComments(samples: CodeSample[]): string[] {
  return samples.flatMap((sample) =>
    sample.source
      .split("\n")
      .map((line) => commentOf(line)?.comment.trim() ?? "")
      .filter((comment) => comment !== "" && !/\p{Script=Han}/u.test(comment))
      .filter((comment) => !/^(npm|pip) install \S+$/.test(comment)),
  );
}

describe("anchors", () => {
  it("gives every guide heading the same ASCII anchor in both languages", () => {
    const anchors = [...guideAnchors(join(repoRoot, "docs", "guide")).values()].flat();
    expect(anchors).toContain("local-sandbox");
    expect(anchors.every((a) => /^[a-z0-9-]+$/.test(a))).toBe(true);
    expect(new Set(anchors).size).toBe(anchors.length);
    for (const locale of locales) {
      const html = read(locale.tag, "index.html");
      for (const anchor of anchors) expect(html, `${locale.tag}: ${anchor}`).toContain(`{% #${anchor} %}`);
    }
  });

  it("refuses a translation whose headings differ from the English page (they could not share anchors)", () => {
    const guide = mkdtempSync(join(tmpdir(), "guide-"));
    try {
      cpSync(join(repoRoot, "docs", "guide"), guide, { recursive: true });
      const page = join(guide, "zh-CN", "02-glossary.md");
      writeFileSync(page, `${readFileSync(page, "utf8")}\n\n## 多出来的标题\n`);
      expect(() =>
        assembleGuide(guide, { locale: zh ?? locales[1]!, operations: [], downloads: [], otherLanguages: [] }),
      ).toThrow(/02-glossary\.md has 2 headings, the English page 1/);
    } finally {
      rmSync(guide, { recursive: true, force: true });
    }
  });
});

describe("Redoc's interface", () => {
  it("zh-CN: carries the labels and the patched translate hook and search; en: neither", () => {
    const zhPage = read("zh-CN", "index.html");
    const enPage = read("en", "index.html");
    expect(zhPage).toContain("globalThis.__redocLabels = ");
    expect(zhPage).toContain("globalThis.__redocLabels?.[e]");
    expect(zhPage).toContain("tokenize:`full`");
    for (const label of LABELS["zh-CN"] ?? []) expect(zhPage).toContain(`"${label.key}":"${label.text}"`);
    expect(enPage).not.toContain("__redocLabels");
    expect(enPage).toContain("tokenize:`forward`");
  });

  it("fails the build when the inlined bundle no longer has what a patch replaces", () => {
    const page = read("en", "index.html");
    expect(() => localiseRedoc(page.replace("useTranslate:()=>", "useTranslate:function()"), zh!)).toThrow(
      /translate hook/,
    );
    expect(() => localiseRedoc(page.replace("children:`No results`", "children:`Nothing`"), zh!)).toThrow(/No results/);
    expect(() => localiseRedoc(page.replace(/\(`requiredScopes`,`Required scopes`\)/g, "(`x`)"), zh!)).toThrow(
      /requiredScopes/,
    );
  });
});

describe("code samples", () => {
  it("zh-CN: every comment is Chinese and the code is the English page's; en: the checker finds English", () => {
    expect(untranslatedComments(samplesOf("zh-CN"))).toEqual([]);
    expect(untranslatedComments(samplesOf("en")).length).toBeGreaterThan(30);
    expect(samplesOf("zh-CN").map((s) => codeOnly(s.source))).toEqual(samplesOf("en").map((s) => codeOnly(s.source)));
  });

  it("each page holds every sample's default base URL where the sandbox can point it at itself", () => {
    const operations = listOperations(JSON.parse(read("downloads", "openapi.en.json")) as JsonObject).length;
    for (const locale of locales) {
      expect(sampleDefaultCount(read(locale.tag, "index.html")), locale.tag).toBe(4 * operations);
    }
  });
});

describe("the console pages", () => {
  for (const locale of locales) {
    it(`${locale.tag}: console.html is self-contained, in its language, and every operation links to it`, () => {
      const html = read(locale.tag, "console.html");
      expect(html).toContain(`<html lang="${locale.tag}">`);
      expect(html).toContain(locale.words.console.title);
      expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)="https?:/);
      const page = read(locale.tag, "index.html");
      const operations = listOperations(JSON.parse(read("downloads", `openapi.${locale.tag}.json`)) as JsonObject);
      for (const op of operations) expect(page).toContain(`console.html#${op.operationId}`);
    });
  }

  it("the static environment.json says nobody served the pages, with the demo applications", () => {
    expect(JSON.parse(read("environment.json"))).toEqual({
      servedBy: null,
      origin: null,
      tenantId: sandboxDemo.tenantId,
      demoApps: sandboxDemo.apps,
    });
  });
});

describe("the first call of the guide and the start page", () => {
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  beforeAll(async () => {
    sandbox = await startSandbox();
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  /** The script as shown, without `npm start` (the test started the sandbox), against the test's sandbox. */
  const runnable = (script: string) =>
    script.replace(/^npm start$/m, "").replaceAll("http://127.0.0.1:4010", sandbox.baseUrl);

  it("is on both pages, and runs: token, then goods detail answers code 0", async () => {
    const script = firstCallScript(en!.words.firstCall);
    expect(read("en", "index.html")).toContain(JSON.stringify(script).slice(1, 80));
    expect(read("index.html")).toContain("npm start");
    const { stdout } = await run("bash", ["-c", runnable(script)], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toMatchObject({ code: 0, data: { goodsId: "123456" } });
  });

  it("fails visibly with a wrong secret (so the run above proves something)", async () => {
    const script = runnable(firstCallScript(en!.words.firstCall)).replace(
      `${sandboxDemo.apps[0]?.clientSecret}`,
      "wrong-secret",
    );
    const { stdout } = await run("bash", ["-c", script], { timeout: 30_000 });
    expect(JSON.parse(stdout)).toMatchObject({ code: 401 });
    expect(DEFAULT_BASE_URL).not.toBe(sandbox.baseUrl);
  });
});
