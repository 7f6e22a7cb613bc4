// The business codes the SDK exports are generated from the spec (scripts/business-codes.mjs): every entry of every
// operation's x-business-errors, its Chinese meaning from the overlay, and nothing typed by hand.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BUSINESS_ERRORS, BusinessCode, businessErrorOf } from "../../client/index.ts";
// @ts-expect-error scripts/business-codes.mjs is plain JavaScript without declarations
import { collectBusinessCodes } from "../../scripts/business-codes.mjs";
import { type Json, loadBundledSpec, repoRoot } from "../helpers.ts";

const spec = loadBundledSpec();

function specEntries(source: Json): { code: number; key: string; message: string; description: string; op: string }[] {
  const found = [];
  for (const item of Object.values(source.paths) as Json[]) {
    for (const op of Object.values(item) as Json[]) {
      for (const e of op["x-business-errors"] ?? []) found.push({ ...e, op: op.operationId });
    }
  }
  return found;
}

describe("generated/business-codes.ts", () => {
  it("carries the do-not-edit notice", () => {
    const source = readFileSync(join(repoRoot, "generated", "business-codes.ts"), "utf8");
    expect(source.slice(0, 300)).toContain("Do not edit");
  });

  it("holds every x-business-errors entry of the spec, with its operations, sorted by code", () => {
    const entries = specEntries(spec);
    expect(BUSINESS_ERRORS.map((e) => e.code)).toEqual([...new Set(entries.map((e) => e.code))].sort((a, b) => a - b));
    for (const e of entries) {
      const info = businessErrorOf(e.code);
      expect(info).toMatchObject({ key: e.key, message: e.message });
      expect(info?.meaning.en).toBe(e.description);
      expect(info?.meaning["zh-CN"]).toMatch(/[\u4e00-\u9fff]/);
      expect(info?.operations).toContain(e.op);
      expect(BusinessCode[e.key as keyof typeof BusinessCode]).toBe(e.code);
    }
    expect(BusinessCode.GOODS_NOT_EXISTS).toBe(1008005000);
    expect(businessErrorOf(1)).toBeUndefined();
  });

  it("refuses a spec where one code has two keys, or one key two codes", () => {
    const english = structuredClone(spec);
    const detail = english.paths["/open-api/goods/detail"].post;
    const clash = structuredClone(english);
    clash.paths["/open-api/goods/qc-detail"].post["x-business-errors"].push({
      ...detail["x-business-errors"][0],
      key: "GOODS_GONE",
    });
    expect(() => collectBusinessCodes([{ tag: "en", spec: clash }])).toThrow(/key or message differs/);
    const twoCodes = structuredClone(english);
    twoCodes.paths["/open-api/goods/qc-detail"].post["x-business-errors"].push({
      ...detail["x-business-errors"][0],
      code: 1008005999,
    });
    expect(() => collectBusinessCodes([{ tag: "en", spec: twoCodes }])).toThrow(/names both 1008005000 and 1008005999/);
    expect(collectBusinessCodes([{ tag: "en", spec: english }])).toHaveLength(BUSINESS_ERRORS.length);
  });
});

describe("the docs' business error tables", () => {
  it("render the generated module, in the page's language", async () => {
    const { operationAppendix, allBusinessErrorsTable } = await import("../../docs/tables.ts");
    const { locales } = await import("../../docs/locales.ts");
    const { listOperations } = await import("../../docs/operations.ts");
    const operations = listOperations(spec);
    const redeem = operations.find((op) => op.operationId === "redeemCouponCode");
    for (const locale of locales) {
      const tag = locale.tag as "en" | "zh-CN";
      const appendix = operationAppendix(redeem as NonNullable<typeof redeem>, locale);
      const all = allBusinessErrorsTable(operations, locale);
      for (const e of BUSINESS_ERRORS) {
        expect(all).toContain(`\`${e.code}\``);
        expect(all).toContain(e.meaning[tag]);
        if (e.operations.includes("redeemCouponCode")) expect(appendix).toContain(e.meaning[tag]);
        else expect(appendix).not.toContain(`\`${e.code}\``);
      }
    }
  });
});
