// The runner's parts on their own: the schema-to-arbitrary generator, the response checks (each with a response
// that must make it fail), masking, and the JUnit writer.
import { Ajv2020 } from "ajv/dist/2020.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { invalidArbitrary, validArbitrary } from "../../contract/src/arbitrary.ts";
import { responseChecks } from "../../contract/src/checks.ts";
import { maskToken, Redactor } from "../../contract/src/credentials.ts";
import type { ApiResponse } from "../../contract/src/http.ts";
import { junitXml } from "../../contract/src/junit.ts";
import { summaryTable, summaryWidth } from "../../contract/src/report.ts";
import { Results } from "../../contract/src/results.ts";
import { type JsonValue, loadSpec } from "../../contract/src/spec.ts";
import { specExample } from "../helpers.ts";

const spec = loadSpec();
const op = (id: string) => {
  const found = spec.operations.find((o) => o.operationId === id);
  if (!found) throw new Error(`no operation ${id} in the spec`);
  return found;
};

function response(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  const h = new Headers({ "content-type": "application/json", ...headers });
  let json: ApiResponse["json"];
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const contentType = h.get("content-type");
  return { status, headers: h, mediaType: contentType ? (contentType.split(";")[0] ?? "").trim() : null, text, json };
}

const goods = specExample("GetGoodsDetailResponse").data;
const failedOf = (res: ApiResponse, id = "getGoodsDetail") =>
  responseChecks(spec, op(id), res)
    .filter((c) => !c.ok)
    .map((c) => c.check);

describe("schema -> arbitrary", () => {
  for (const operation of spec.operations) {
    it(`${operation.operationId}: valid cases pass the request schema, invalid ones fail it, reproducibly`, () => {
      const validate = spec.validator(operation.requestSchemaPointer);
      const schema = spec.deref({ $ref: operation.requestSchemaPointer });
      const options = { deref: spec.deref, form: operation.requestContentType.includes("form") };
      const valid = fc.sample(validArbitrary(schema, options), { seed: 1, numRuns: 200 });
      const invalid = fc.sample(invalidArbitrary(schema, options), { seed: 1, numRuns: 200 });
      // The generator targets the schema; the Ajv filter in the runner only trims the odd miss.
      expect(valid.filter((v) => validate(v)).length).toBeGreaterThan(150);
      expect(invalid.filter((v) => !validate(v)).length).toBeGreaterThan(150);
      expect(fc.sample(validArbitrary(schema, options), { seed: 1, numRuns: 200 })).toEqual(valid);
      expect(new Set(valid.map((v) => JSON.stringify(v))).size).toBeGreaterThan(20);
    });
  }
});

describe("schema -> arbitrary, the keywords the spec's requests do not use yet", () => {
  const synthetic: JsonValue = {
    type: "object",
    required: ["kind", "size", "tags", "choice", "maybe", "fixed", "notZero"],
    properties: {
      kind: { type: "string", enum: ["a", "b"] },
      size: { type: "integer", minimum: 3, maximum: 9 },
      tags: { type: "array", minItems: 1, maxItems: 2, items: { type: "string", pattern: "^[a-z]{2,4}$" } },
      choice: {
        oneOf: [
          { type: "integer", minimum: 100 },
          { type: "string", maxLength: 3 },
        ],
      },
      maybe: { type: ["integer", "null"], minimum: 1, maximum: 5 },
      fixed: { const: "yes" },
      notZero: { type: "string", minLength: 1, maxLength: 8, not: { const: "0" } },
    },
  };
  it("generates values of every keyword the generator supports, and breaks each", () => {
    const check = new Ajv2020({ strict: false }).compile(synthetic);
    const options = { deref: (v: JsonValue | undefined) => v, form: false };
    const valid = fc.sample(validArbitrary(synthetic, options), { seed: 3, numRuns: 300 });
    const invalid = fc.sample(invalidArbitrary(synthetic, options), { seed: 3, numRuns: 300 });
    expect(valid.filter((v) => check(v)).length).toBeGreaterThan(250);
    expect(invalid.filter((v) => !check(v)).length).toBeGreaterThan(250);
    const seen = (key: string) => new Set(valid.map((v) => JSON.stringify((v as Record<string, unknown>)[key])));
    expect(seen("maybe")).toContain("null");
    expect([...seen("choice")].some((c) => c.startsWith('"'))).toBe(true);
    expect([...seen("choice")].some((c) => /^\d/.test(c))).toBe(true);
    expect(seen("fixed")).toEqual(new Set(['"yes"']));
  });
});

describe("response checks", () => {
  it("pass a conforming success and a conforming protocol error", () => {
    expect(failedOf(response(200, { code: 0, data: goods, msg: "" }))).toEqual([]);
    expect(
      failedOf(response(401, { code: 401, data: null, msg: "token missing" }, { "www-authenticate": "Bearer" })),
    ).toEqual([]);
    expect(failedOf(response(200, { code: 1008005000, data: null, msg: "Goods does not exist" }))).toEqual([]);
  });

  it("each fails on the response it exists to catch", () => {
    expect(failedOf(response(500, { code: 500, data: null, msg: "boom" }))).toContain("not_a_server_error");
    expect(failedOf(response(422, { code: 422, data: null, msg: "bad" }))).toContain("status_code_conformance");
    expect(failedOf(response(200, { code: 0, data: goods, msg: "" }, { "content-type": "text/plain" }))).toContain(
      "content_type_conformance",
    );
    expect(failedOf(response(429, { code: 429, data: null, msg: "slow down" }))).toContain(
      "response_headers_conformance",
    );
    expect(failedOf(response(429, { code: 429, data: null, msg: "slow" }, { "retry-after": "soon" }))).toContain(
      "response_headers_conformance",
    );
    const { goodsTitle: _dropped, ...withoutTitle } = goods;
    expect(failedOf(response(200, { code: 0, data: withoutTitle, msg: "" }))).toContain("response_schema_conformance");
    expect(failedOf(response(200, { code: 0, data: { ...goods, secret: 1 }, msg: "" }))).toContain(
      "response_schema_conformance",
    );
    expect(failedOf(response(200, "<html>"))).toContain("response_schema_conformance");
    expect(failedOf(response(401, { code: 400, data: null, msg: "x" }))).toContain("envelope_code_matches_status");
    // A business code that is not in this operation's x-business-errors list.
    expect(failedOf(response(200, { code: 1013020000, data: null, msg: "x" }))).toContain(
      "envelope_code_matches_status",
    );
  });
});

describe("masking", () => {
  it("replaces secrets with their variable name and tokens with a prefix", () => {
    const redactor = new Redactor();
    redactor.addSecret("s3cr3t-value", "OPENAPI_CLIENT_SECRET");
    redactor.addToken("UJk6SfwBLiDBdgCKH-j5MgAC9Rr29AgDFQ1tKrZbtO0");
    const out = redactor.redact("secret=s3cr3t-value token=UJk6SfwBLiDBdgCKH-j5MgAC9Rr29AgDFQ1tKrZbtO0");
    expect(out).toBe("secret=$OPENAPI_CLIENT_SECRET token=UJk6…(43 chars)");
    expect(maskToken("short")).toBe("****");
  });
});

describe("JUnit", () => {
  it("writes one testcase per check and operation, failing with the rule and curl, escaped", () => {
    const results = new Results();
    results.add({ layer: "property", check: "ignored_auth", operation: "getGoodsDetail", ok: true });
    results.add({
      layer: "property",
      check: "ignored_auth",
      operation: "getGoodsDetail",
      ok: false,
      message: 'expected HTTP 401, got 200 <"&">',
      rule: "#/paths/~1open-api~1goods~1detail/post/security",
      curl: "curl -sS -X POST 'http://x' -d '{}'",
    });
    const xml = junitXml(results, 1.5);
    expect(xml).toContain('<testsuites name="contract" tests="1" failures="1" skipped="0" time="1.500">');
    expect(xml).toContain('name="ignored_auth[getGoodsDetail]" assertions="2"');
    expect(xml).toContain("got 200 &lt;&quot;&amp;&quot;&gt;");
    expect(xml).toContain("rule: #/paths/~1open-api~1goods~1detail/post/security");
  });
});

describe("skipped checks", () => {
  const skipped = () => {
    const results = new Results();
    results.add({ layer: "property", check: "insufficient_scope", operation: "getGoodsDetail", ok: true });
    results.add({
      layer: "property",
      check: "insufficient_scope",
      operation: "issueToken",
      ok: true,
      skipped: "set OPENAPI_LIMITED_CLIENT_ID and OPENAPI_LIMITED_CLIENT_SECRET to run it",
    });
    return results;
  };

  it("are <skipped message=...> in JUnit, with the reason", () => {
    const xml = junitXml(skipped(), 1);
    expect(xml).toMatch(
      /name="insufficient_scope\[issueToken\]"[^>]*>\s*<skipped message="set OPENAPI_LIMITED_CLIENT_ID and OPENAPI_LIMITED_CLIENT_SECRET to run it"\/>/,
    );
    expect(xml).toContain('tests="2" failures="0" skipped="1"');
    // A testcase that passed is not marked skipped.
    expect(xml).toMatch(/name="insufficient_scope\[getGoodsDetail\]" assertions="1"><\/testcase>/);
  });

  it("show in the summary as skipped, with the reason below the table", () => {
    const table = summaryTable(skipped());
    expect(table).toMatch(/\| insufficient_scope +\| +1 \| +0 \| +1 \| ~ issueToken, 1 passed/);
    expect(table).toContain("insufficient_scope on issueToken: set OPENAPI_LIMITED_CLIENT_ID");
  });
});

describe("summary", () => {
  it("fits in 120 columns however many operations fail", () => {
    const results = new Results();
    for (let i = 0; i < 40; i++) {
      results.add({
        layer: "property",
        check: "response_schema_conformance",
        operation: `someRatherLongOperationName${i}`,
        ok: false,
        message: "x",
      });
    }
    results.add({
      layer: "property",
      check: "insufficient_scope",
      operation: "issueToken",
      ok: true,
      skipped: "a reason that is long enough to need wrapping ".repeat(6),
    });
    const lines = summaryTable(results).split("\n");
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(summaryWidth);
    expect(lines.some((l) => l.includes("✗ someRatherLongOperationName0 (1)"))).toBe(true);
    expect(lines.some((l) => l.endsWith("… |"))).toBe(true);
  });
});
