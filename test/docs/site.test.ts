// The built site's files: the chooser, the two self-contained pages, the downloads (spec per language, Postman
// collection v2.1 derived from the spec), and a build that refuses broken sources.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildDocs, loadEnglishSpec } from "../../docs/build.ts";
import { assembleGuide } from "../../docs/guide.ts";
import { locales } from "../../docs/locales.ts";
import { type JsonObject, listOperations } from "../../docs/operations.ts";
import { POSTMAN_SCHEMA, POSTMAN_VARIABLES } from "../../docs/postman.ts";
import { builtSite } from "./built-site.ts";

let site: string;
beforeAll(async () => {
  site = await builtSite();
});

const read = (...parts: string[]): string => readFileSync(join(site, ...parts), "utf8");
const json = (...parts: string[]): JsonObject => JSON.parse(read(...parts)) as JsonObject;

describe("the pages", () => {
  it("the root page offers both languages and every download", () => {
    const index = read("index.html");
    for (const locale of locales) {
      expect(index).toContain(`href="${locale.tag}/"`);
      expect(index).toContain(`>${locale.name}</a>`);
      expect(index).toContain(`href="downloads/openapi.${locale.tag}.json"`);
      expect(index).toContain(`href="downloads/postman.${locale.tag}.json"`);
    }
  });

  for (const locale of locales) {
    it(`${locale.tag}: is one self-contained file that links to the other language`, () => {
      const html = read(locale.tag, "index.html");
      expect(html).toMatch(new RegExp(`<html lang="${locale.tag}">`));
      for (const other of locales.filter((l) => l !== locale)) {
        expect(html).toContain(`href="../${other.tag}/" hreflang="${other.tag}"`);
      }
      // Nothing is loaded from elsewhere: no external script, stylesheet, font or image reference in the markup.
      expect(html).not.toMatch(/<script[^>]+src=/);
      expect(html).not.toMatch(/<link[^>]+href="https?:/);
      expect(html).not.toMatch(/@import\s+url\(["']?https?:/);
      expect(html).not.toContain("cdn.redoc.ly/redoc/logo");
      expect(html).not.toContain("fonts.googleapis.com");
      // Redoc's browser telemetry is off.
      expect(html).toContain('"disableTelemetry":true');
    });
  }
});

describe("the downloads", () => {
  it("the YAML and JSON bundles of a language are the same document", () => {
    for (const locale of locales) {
      expect(parseYaml(read("downloads", `openapi.${locale.tag}.yaml`))).toEqual(
        json("downloads", `openapi.${locale.tag}.json`),
      );
    }
  });

  it("the bundles keep the spec's operations and add the guide, code samples and business-error tables", () => {
    const spec = loadEnglishSpec();
    for (const locale of locales) {
      const bundle = json("downloads", `openapi.${locale.tag}.json`);
      expect(Object.keys(bundle.paths as JsonObject)).toEqual(Object.keys(spec.paths as JsonObject));
      expect(bundle.components).toBeDefined();
      const guide = String((bundle.info as JsonObject).description);
      expect(guide).toContain("<svg");
      for (const code of [900, 1004001000, 1004001008, 1008005000, 1008006000, 1008010000, 1013020007]) {
        expect(guide).toContain(`\`${code}\``);
      }
      for (const op of listOperations(bundle)) {
        expect(op.node["x-codeSamples"]).toHaveLength(4);
        for (const error of op.businessErrors) expect(op.description).toContain(`\`${error.code}\``);
      }
    }
  });

  it("the Postman collection (v2.1) has one request per operation, built from the spec's first request example", () => {
    // How the collection runs (token script, checks, Newman against the sandbox): test/postman/newman.test.ts.
    for (const locale of locales) {
      const bundle = json("downloads", `openapi.${locale.tag}.json`);
      const collection = json("downloads", `postman.${locale.tag}.json`);
      expect((collection.info as JsonObject).schema).toBe(POSTMAN_SCHEMA);
      const folders = collection.item as { name: string; item: { name: string; request: JsonObject }[] }[];
      const requests = folders.flatMap((f) => f.item);
      const operations = listOperations(bundle);
      expect(requests.map((r) => r.name).sort()).toEqual(operations.map((op) => op.summary).sort());
      for (const op of operations) {
        const request = requests.find((r) => r.name === op.summary)?.request as JsonObject;
        expect(request.method).toBe(op.method.toUpperCase());
        expect((request.url as JsonObject).raw).toBe(`{{OPENAPI_BASE_URL}}${op.path}`);
        const body = request.body as JsonObject;
        if (op.contentType === "application/json") {
          // The example, with a fresh requestId per redemption.
          const example =
            "requestId" in op.requestExample ? { ...op.requestExample, requestId: "{{$guid}}" } : op.requestExample;
          expect(JSON.parse(String(body.raw))).toEqual(example);
        } else {
          expect(body.mode).toBe("urlencoded");
        }
        // Business requests get their bearer token from the collection's pre-request script.
        expect((request.auth as JsonObject).type).toBe(op.auth === "basic" ? "basic" : "noauth");
      }
      const variables = (collection.variable as { key: string }[]).map((v) => v.key);
      expect(variables).toEqual(POSTMAN_VARIABLES.map((v) => v.key));
    }
    const zhFolders = (json("downloads", "postman.zh-CN.json").item as { name: string }[]).map((f) => f.name);
    // The revocation runs last, in a folder of its own (named as the operation).
    expect(zhFolders).toEqual(["认证", "商品", "商品质检", "促销", "撤销访问令牌"]);
  });
});

describe("the build refuses broken sources", () => {
  it("fails on an overlay action whose target no longer exists", async () => {
    const scratch = mkdtempSync(join(tmpdir(), "docs-broken-"));
    try {
      const overlay = join(scratch, "zh-CN.overlay.yaml");
      writeFileSync(
        overlay,
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n  - target: $.components.schemas.Gone\n    update: {title: 没有}\n",
      );
      await expect(
        buildDocs({ outDir: join(scratch, "out"), overlayFor: (l) => (l.overlay ? overlay : null) }),
      ).rejects.toThrow(/Gone.*matches nothing/);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("fails on a guide page set that lacks a generated section every language has", () => {
    const scratch = mkdtempSync(join(tmpdir(), "docs-guide-"));
    try {
      mkdirSync(join(scratch, "en"));
      writeFileSync(join(scratch, "en", "01.md"), "# Errors\n\n<!-- generated:sequence-diagram -->\n");
      const en = locales[0];
      if (!en) throw new Error("no locale");
      expect(() => assembleGuide(scratch, { locale: en, operations: [], downloads: [], otherLanguages: [] })).toThrow(
        /lacks the <!-- generated:business-errors --> placeholder/,
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
