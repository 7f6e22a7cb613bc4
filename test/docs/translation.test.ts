// Translation completeness: nothing of the Chinese site may still be English, and the checker itself must fail on
// an overlay that misses one action.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { sdkTarballName } from "../../client/scripts/pack.ts";
import { loadEnglishSpec, translatedSpec } from "../../docs/build.ts";
import { guideFiles } from "../../docs/guide.ts";
import type { JsonValue } from "../../docs/jsonpath.ts";
import { locales } from "../../docs/locales.ts";
import { type JsonObject, listOperations } from "../../docs/operations.ts";
import { applyOverlay, loadOverlay } from "../../docs/overlay.ts";
import { findUntranslated, isLanguageNeutral, tagsWithoutDisplayName } from "../../docs/translation-check.ts";
import { bin, repoRoot } from "../helpers.ts";
import { builtSite } from "./built-site.ts";

const zh = locales.find((l) => l.tag === "zh-CN");
if (!zh?.overlay) throw new Error("docs/locales.ts has no zh-CN locale with an overlay");
const overlayFile = join(repoRoot, zh.overlay);
const english = loadEnglishSpec();

describe("the zh-CN overlay", () => {
  it("translates every summary, description, title, enum description and scope of the spec", () => {
    const findings = findUntranslated(english, translatedSpec(english, zh), "zh-CN");
    expect(findings.map((f) => `${f.problem}: ${f.path}`)).toEqual([]);
  });

  it("gives every tag a Chinese display name (tag names stay English identifiers)", () => {
    expect(tagsWithoutDisplayName(translatedSpec(english, zh))).toEqual([]);
  });

  it("keeps every business error's message (the English wire msg) and translates its description", () => {
    const translated = listOperations(translatedSpec(english, zh));
    const original = listOperations(english);
    let checked = 0;
    for (const [i, op] of original.entries()) {
      for (const [j, error] of op.businessErrors.entries()) {
        const tr = translated[i]?.businessErrors[j];
        expect(tr?.code).toBe(error.code);
        expect(tr?.key).toBe(error.key);
        expect(tr?.message).toBe(error.message);
        expect(tr?.description).not.toBe(error.description);
        expect(tr?.description).toMatch(/\p{Script=Han}/u);
        checked++;
      }
    }
    expect(checked).toBe(14);
  });

  it("changes no wire value: paths, operationIds, schemas' types, enums and examples are the English ones", () => {
    const translated = translatedSpec(english, zh);
    const strip = (node: JsonValue): JsonValue => {
      if (Array.isArray(node)) return node.map(strip);
      if (node === null || typeof node !== "object") return node;
      const out: JsonObject = {};
      for (const [key, value] of Object.entries(node)) {
        if (["description", "summary", "title", "x-displayName", "x-enumDescriptions"].includes(key)) continue;
        out[key] = strip(value);
      }
      return out;
    };
    const withoutProse = (spec: JsonObject): JsonValue => {
      const copy = structuredClone(spec);
      delete (copy.info as JsonObject).contact;
      delete (copy.info as JsonObject).license;
      const flows = ((copy.components as JsonObject).securitySchemes as JsonObject).openApiOAuth2 as JsonObject;
      delete (flows.flows as JsonObject).clientCredentials;
      return strip(copy);
    };
    expect(withoutProse(translated)).toEqual(withoutProse(english));
  });

  it("gives the same result with Redocly's overlay support (`redocly bundle --overlay`), so it is a standard overlay", () => {
    const scratch = mkdtempSync(join(tmpdir(), "overlay-redocly-"));
    try {
      const input = join(scratch, "en.json");
      writeFileSync(input, JSON.stringify(english));
      const output = join(scratch, "zh.json");
      execFileSync(bin("redocly"), ["bundle", input, "--overlay", overlayFile, "-o", output], {
        cwd: repoRoot,
        env: { ...process.env, REDOCLY_TELEMETRY: "off" },
        stdio: "pipe",
      });
      expect(JSON.parse(readFileSync(output, "utf8"))).toEqual(translatedSpec(english, zh));
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });

  it("makes the translated spec pass the contract's own lint rules (redocly.yaml)", () => {
    const scratch = mkdtempSync(join(tmpdir(), "overlay-lint-"));
    try {
      const file = join(scratch, "openapi.zh-CN.json");
      writeFileSync(file, JSON.stringify(translatedSpec(english, zh)));
      const out = execFileSync(bin("redocly"), ["lint", file, "--config", join(repoRoot, "redocly.yaml")], {
        cwd: repoRoot,
        env: { ...process.env, REDOCLY_TELEMETRY: "off" },
        stdio: "pipe",
        encoding: "utf8",
      });
      expect(out).not.toMatch(/warning|error/i);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

describe("the checker fails on what it must catch", () => {
  it("reports exactly the text of an overlay action that is missing", () => {
    const overlay = loadOverlay(overlayFile);
    const dropped = overlay.actions.findIndex((a) => a.target.includes("[?(@.code == 900)]"));
    expect(dropped).toBeGreaterThanOrEqual(0);
    const incomplete = { ...overlay, actions: overlay.actions.filter((_, i) => i !== dropped) };
    const findings = findUntranslated(english, applyOverlay(english, incomplete), "zh-CN");
    expect(findings).toEqual([
      {
        path: "$.paths['/open-api/promotion/redeem-code/redeem'].post['x-business-errors'][10].description",
        english: expect.stringContaining("requestId was already processed"),
        translated: expect.stringContaining("requestId was already processed"),
        problem: "same as English",
      },
    ]);
  });

  it("reports a property left out of an action, and a 'translation' that is still Latin text", () => {
    const overlay = loadOverlay(overlayFile);
    const actions = structuredClone(overlay.actions);
    const goods = actions.find((a) => a.target === "$.components.schemas.GoodsDetail");
    const update = goods?.update as { properties: Record<string, unknown>; title: string };
    delete update.properties.postFee;
    update.title = "Goods detail (translated)";
    const findings = findUntranslated(english, applyOverlay(english, { ...overlay, actions }), "zh-CN");
    expect(findings.map((f) => `${f.problem}: ${f.path}`)).toEqual([
      "no text in the target script: $.components.schemas.GoodsDetail.title",
      "same as English: $.components.schemas.GoodsDetail.properties.postFee.description",
    ]);
  });

  it("refuses an action whose target matches nothing (a renamed schema must not ship untranslated)", () => {
    const overlay = loadOverlay(overlayFile);
    const stale = {
      ...overlay,
      actions: [...overlay.actions, { target: "$.components.schemas.GoodsDetial", update: { title: "商品" } }],
    };
    expect(() => applyOverlay(english, stale)).toThrow(/GoodsDetial.*matches nothing/);
  });

  it("allows only text that is the same in every language by nature", () => {
    for (const neutral of ["1688", "`goodsId`", "https://api.rizzitgo.com", "`1` / `2`"]) {
      expect(isLanguageNeutral(neutral)).toBe(true);
    }
    for (const prose of ["Goods ID", "Always `Bearer`.", "HTTP(S) URL"]) expect(isLanguageNeutral(prose)).toBe(false);
  });
});

describe("the built Chinese site", () => {
  let site: string;
  beforeAll(async () => {
    site = await builtSite();
  });

  const bundle = (tag: string): JsonObject =>
    JSON.parse(readFileSync(join(site, "downloads", `openapi.${tag}.json`), "utf8")) as JsonObject;

  it("has no English left in its bundle: guide, operation appendices and error tables included", () => {
    const findings = findUntranslated(bundle("en"), bundle("zh-CN"), "zh-CN");
    expect(findings.map((f) => `${f.problem}: ${f.path}`)).toEqual([]);
  });

  it("has a Chinese page for every English guide page", () => {
    const names = (tag: string) => guideFiles(join(repoRoot, "docs", "guide"), tag).map((f) => f.split("/").pop());
    expect(names("zh-CN")).toEqual(names("en"));
    for (const file of guideFiles(join(repoRoot, "docs", "guide"), "zh-CN")) {
      const headings = readFileSync(file, "utf8").match(/^#+ .*$/gm) ?? [];
      for (const heading of headings) expect(heading, file).toMatch(/\p{Script=Han}/u);
    }
    expect(readdirSync(join(site, "downloads")).sort()).toEqual([
      "openapi.en.json",
      "openapi.en.yaml",
      "openapi.zh-CN.json",
      "openapi.zh-CN.yaml",
      "postman.en.json",
      "postman.sandbox.environment.json",
      "postman.zh-CN.json",
      sdkTarballName(),
    ]);
  });
});
