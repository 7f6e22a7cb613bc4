// The Schemathesis files shipped in the contract package (contract/schemathesis/). Schemathesis cannot be installed
// here (no PyPI), so this checks what can be checked without it: schemathesis.toml against the config schema of
// Schemathesis 4.9.5 (src/schemathesis/config/schema.json of that tag, MIT, vendored beside this test), every name
// it uses against the spec, and that the auth hook is valid Python naming real operations. A config with a
// misspelt key must fail the same validation.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { loadBundledSpec, repoRoot } from "../helpers.ts";

const dir = join(repoRoot, "contract", "schemathesis");
const configSchema = JSON.parse(
  readFileSync(join(import.meta.dirname, "schemathesis-4.9.5-config.schema.json"), "utf8"),
);
// The schema is written for Python's `re`: its patterns open with the inline flag `(?i)`, which JavaScript spells
// as the `i` flag.
const pythonRegExp = Object.assign(
  (pattern: string, flags: string) =>
    pattern.startsWith("(?i)") ? new RegExp(pattern.slice(4), `${flags}i`) : new RegExp(pattern, flags),
  { code: "pythonRegExp" },
);
const validate = new Ajv2020({ strict: false, allErrors: true, code: { regExp: pythonRegExp } }).compile(configSchema);

/** TOML as Schemathesis reads it: Python's tomllib. */
function parseToml(text: string): Record<string, unknown> {
  const run = spawnSync(
    "python3",
    ["-c", "import json, sys, tomllib; print(json.dumps(tomllib.loads(sys.stdin.read())))"],
    {
      input: text,
      encoding: "utf8",
    },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe("schemathesis.toml", () => {
  const text = readFileSync(join(dir, "schemathesis.toml"), "utf8");
  const config = parseToml(text) as {
    hooks: string;
    parameters: Record<string, string>;
    auth: { openapi: Record<string, unknown> };
    checks: Record<string, { "expected-statuses"?: unknown[] }>;
    operations: { "include-operation-id"?: string }[];
  };

  it("uses only keys of Schemathesis 4.9.5's configuration", () => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
  });

  it("fails on a key Schemathesis does not know", () => {
    const typo = parseToml(text.replace("missing_required_header.expected", "missing_required_headers.expected"));
    expect(validate(typo)).toBe(false);
  });

  it("names the spec's security scheme, header, operations and the guide's 400 for a missing header", () => {
    const spec = loadBundledSpec();
    expect(Object.keys(config.auth.openapi)).toEqual(["clientBasic"]);
    expect(spec.components.securitySchemes.clientBasic).toMatchObject({ type: "http", scheme: "basic" });
    // Schemathesis substitutes ${VAR} from the environment when it loads the file.
    expect(config.parameters["header.tenant-id"]).toMatch(/^\$\{OPENAPI_TENANT_ID\}$/);
    expect(spec.components.parameters.TenantId).toMatchObject({ in: "header", name: "tenant-id", required: true });
    expect(config.checks.missing_required_header?.["expected-statuses"]).toEqual([400]);
    const ids = Object.values(spec.paths).flatMap((item) =>
      Object.values(item as Record<string, { operationId: string }>).map((op) => op.operationId),
    );
    for (const op of config.operations) expect(ids).toContain(op["include-operation-id"]);
    expect(config.hooks).toBe("rizzit_auth");
  });
});

describe("rizzit_auth.py", () => {
  const source = readFileSync(join(dir, "rizzit_auth.py"), "utf8");

  it("is valid Python", () => {
    const run = spawnSync("python3", ["-c", "import ast, sys; ast.parse(sys.stdin.read())"], {
      input: source,
      encoding: "utf8",
    });
    expect(run.status, run.stderr).toBe(0);
  });

  it("skips exactly the operations secured by clientBasic and asks the spec's token endpoint", () => {
    const spec = loadBundledSpec();
    const basicOps = Object.values(spec.paths)
      .flatMap((item) => Object.values(item as Record<string, { operationId: string; security?: object[] }>))
      .filter((op) => op.security?.some((s) => "clientBasic" in s))
      .map((op) => op.operationId)
      .sort();
    const skipped = /TOKEN_OPERATIONS = \[([^\]]*)\]/
      .exec(source)?.[1]
      ?.match(/"(\w+)"/g)
      ?.map((s) => s.slice(1, -1));
    expect(skipped?.sort()).toEqual(basicOps);
    const tokenPath = /TOKEN_PATH = "([^"]+)"/.exec(source)?.[1] ?? "";
    expect(spec.paths[tokenPath]?.post?.operationId).toBe("issueToken");
    expect(source).toContain('headers={"tenant-id": _env("OPENAPI_TENANT_ID")}');
    expect(source).toContain('data={"grant_type": "client_credentials"}');
  });
});
