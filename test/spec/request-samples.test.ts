// Every request schema is usable by a generator: it has a named example, and the contract runner's own arbitraries
// (contract/src/arbitrary.ts) produce at least one body that the same schema's Ajv 2020 validator accepts. A schema
// no generator can satisfy (e.g. `format: uri` plus a pattern whose matches are not URIs) leaves the operation
// untested with valid data by Schemathesis and by the runner alike; the failing case below proves the check bites.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { sampleAccepted, validArbitrary } from "../../contract/src/arbitrary.ts";
import { type LoadedSpec, loadSpec } from "../../contract/src/spec.ts";
import { loadBundledSpec } from "../helpers.ts";

/** Valid bodies the runner's generator finds for each operation (at most `count`). */
function generatedValidBodies(spec: LoadedSpec, count = 5) {
  return spec.operations.map((op) => {
    const validate = spec.validator(op.requestSchemaPointer);
    const form = op.requestContentType === "application/x-www-form-urlencoded";
    const arbitrary = validArbitrary(spec.deref({ $ref: op.requestSchemaPointer }), { deref: spec.deref, form });
    return { op, bodies: sampleAccepted(arbitrary, (v) => validate(v) === true, count, 20261130) };
  });
}

describe("request schemas a generator can satisfy", () => {
  const spec = loadSpec();

  it("every operation's request body has at least one named example that validates", () => {
    for (const op of spec.operations) {
      expect(op.requestExamples.length, `${op.operationId} has no request example`).toBeGreaterThan(0);
      const validate = spec.validator(op.requestSchemaPointer);
      for (const example of op.requestExamples) expect(validate(example), op.operationId).toBe(true);
    }
  });

  it("the runner's arbitraries generate valid bodies for every request schema", () => {
    for (const { op, bodies } of generatedValidBodies(spec)) {
      expect(bodies.length, `no generated body of ${op.operationId} passes its own validator`).toBeGreaterThan(0);
    }
  });

  it("no request string combines format: uri with a pattern (generators find nothing satisfying both)", () => {
    const offenders: string[] = [];
    const walk = (node: unknown, where: string) => {
      if (Array.isArray(node)) {
        for (const [i, n] of node.entries()) walk(n, `${where}/${i}`);
      } else if (node && typeof node === "object") {
        const o = node as Record<string, unknown>;
        if (o.format === "uri" && typeof o.pattern === "string") offenders.push(where);
        for (const [k, v] of Object.entries(o)) walk(v, `${where}/${k}`);
      }
    };
    for (const op of spec.operations) walk(spec.deref({ $ref: op.requestSchemaPointer }), op.operationId);
    expect(offenders).toEqual([]);
  });

  describe("fails on a schema no generator can satisfy", () => {
    const scratch = mkdtempSync(join(tmpdir(), "spec-samples-"));
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it("finds no valid body when the pattern only matches what the format forbids", () => {
      const doc = loadBundledSpec();
      // The shape of the old imagesUrl: `format: uri` and a pattern, here one whose every match has a space.
      doc.components.schemas.ImageSearchQuery.properties.imagesUrl = {
        type: "string",
        format: "uri",
        pattern: "^https://a b/[a-z]+\\.jpg$",
      };
      const path = join(scratch, "openapi.json");
      writeFileSync(path, JSON.stringify(doc));
      const broken = generatedValidBodies(loadSpec(path)).find((r) => r.op.operationId === "searchGoodsByImage");
      expect(broken?.bodies).toEqual([]);
    });
  });
});
