// The kit's Redocly rule kit/link-targets-exist (openapi/plugins/kit-links.js): OpenAPI links chain one answer into
// the next call for stateful testers (Schemathesis, Respect). Lint passes on the spec's links (test/spec/lint.test.ts)
// and fails, naming the rule, on a link to an operation, a parameter or a body field that does not exist.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { bin, loadBundledSpec, repoRoot } from "../helpers.ts";

const scratch = mkdtempSync(join(tmpdir(), "spec-links-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function edit(path: string, change: (text: string) => string) {
  const before = readFileSync(path, "utf8");
  const after = change(before);
  expect(after, `the edit changed nothing in ${path}`).not.toBe(before);
  writeFileSync(path, after);
}

/** `redocly lint` with the kit's redocly.yaml in `dir`; the exit status and the report. */
function lint(dir: string) {
  const run = spawnSync(bin("redocly"), ["lint", "--config", "redocly.yaml", "--format", "stylish"], {
    cwd: dir,
    encoding: "utf8",
    env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" },
  });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("OpenAPI links", () => {
  it("chain token -> revoke and parse/search/qc-page -> detail, QC detail and QC images", () => {
    const spec = loadBundledSpec();
    const linksOf = (path: string) => spec.paths[path].post.responses["200"].links ?? {};
    const targets = (path: string) =>
      Object.values(linksOf(path)).map((l) => (l as { operationId: string }).operationId);
    expect(targets("/open-api/system/oauth2/token")).toEqual(["revokeToken"]);
    for (const path of [
      "/open-api/goods/search-url-parse",
      "/open-api/goods/search-by-images",
      "/open-api/goods/qc-page",
    ]) {
      expect(targets(path).sort()).toEqual(["getGoodsDetail", "getGoodsQcDetail", "listGoodsQcImages"]);
    }
  });

  // One lint run over a copy with three broken links (one Redocly run per case would triple the time).
  it("fails lint on a link to a missing operation, parameter, body field or source parameter", () => {
    const dir = join(scratch, "broken");
    cpSync(join(repoRoot, "openapi"), join(dir, "openapi"), { recursive: true });
    cpSync(join(repoRoot, "redocly.yaml"), join(dir, "redocly.yaml"));
    edit(join(dir, "openapi", "paths", "open-api_system_oauth2_token.yaml"), (t) =>
      t.replace("operationId: revokeToken", "operationId: revokeTokens"),
    );
    edit(join(dir, "openapi", "paths", "open-api_goods_search-by-images.yaml"), (t) =>
      t.replace("header.tenant-id: $request.header.tenant-id", "header.tenant-id: $request.header.tenant"),
    );
    edit(join(dir, "openapi", "paths", "open-api_goods_qc-page.yaml"), (t) =>
      t
        .replace("header.tenant-id: $request.header.tenant-id", "header.tenant: $request.header.tenant-id")
        .replace("goodsId: $response.body#/data/list/0/goodsId", "goodId: $response.body#/data/list/0/goodsId"),
    );
    const { status, output } = lint(dir);
    expect(status).not.toBe(0);
    expect(output).toContain("kit/link-targets-exist");
    expect(output).toContain("Link target operation `revokeTokens` does not exist");
    expect(output).toContain("Link parameter `header.tenant` is not a parameter of `getGoodsDetail`");
    expect(output).toContain("`goodId` is not a property of the request body of `getGoodsDetail`");
    expect(output).toContain("`$request.header.tenant` is not a parameter of `searchGoodsByImage`");
  });
});
