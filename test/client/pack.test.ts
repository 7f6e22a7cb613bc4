// The SDK as a partner gets it. The docs build's hook packs it into a docs folder (docs/sdk-download.ts), a sandbox
// serves that folder, and a scratch project OUTSIDE the repository installs it with the docs' own install line.
// Then: publint and attw judge the tarball (and a broken one), `npm publish --dry-run` accepts it, and the
// installed package is imported and required from .mjs, .cjs, .mts and .cts under plain Node and tsx, each calling
// the sandbox; the README's example is type-checked and run against Prism and the sandbox.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sdkTarballName } from "../../client/scripts/pack.ts";
import { DOCS_ORIGIN, packSdkInto, SDK_INSTALL_COMMAND } from "../../docs/sdk-download.ts";
import { bin, loadBundledSpec, repoRoot, startPrism, startSandbox } from "../helpers.ts";

const run = promisify(execFile);
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
const PKG = "@rizzit/open-api-client";

/** The README block the pack test runs: the fenced block after the pack-test marker. */
function readmeExample(): string {
  const readme = readFileSync(join(repoRoot, "client", "README.md"), "utf8");
  const match = /<!-- pack-test: example[^>]*-->\s*```ts\n([\s\S]*?)```/.exec(readme);
  if (!match?.[1]) throw new Error("client/README.md has no ```ts block after the <!-- pack-test: example --> marker");
  return match[1];
}

let scratch: string;
let app: string;
let tarball: string;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;
let sandboxEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rizzit-sdk-pack-"));
  const docs = join(scratch, "docs-site");
  tarball = await packSdkInto(join(docs, "downloads"));
  // The sandbox serves the docs folder under /docs/, as `npm start` serves docs/dist/.
  sandbox = await startSandbox({ env: { SANDBOX_DOCS_DIR: docs, SANDBOX_LOG_LEVEL: "warn" } });
  sandboxEnv = {
    ...process.env,
    OPENAPI_BASE_URL: sandbox.baseUrl,
    OPENAPI_CLIENT_ID: "sandbox-demo",
    OPENAPI_CLIENT_SECRET: "sandbox-demo-secret",
    OPENAPI_TENANT_ID: "1",
  };

  app = join(scratch, "app");
  mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "partner-app", private: true, type: "module" }));
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022"],
        types: ["node"],
        strict: true,
        skipLibCheck: false,
        outDir: "out",
      },
      include: ["example.ts"],
    }),
  );
  // The docs' install line, as a partner copies it, pointed at this test's sandbox instead of port 4010.
  const [npm, install, url] = SDK_INSTALL_COMMAND.replace(DOCS_ORIGIN, sandbox.baseUrl).split(" ");
  expect([npm, install]).toEqual(["npm", "install"]);
  await run(
    "npm",
    [install as string, url as string, "@types/node@20.19.43", "--prefer-offline", "--no-audit", "--no-fund"],
    { cwd: app },
  );
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** The README example, type-checked and compiled by tsc once for the runs below (tsc is the slow part). */
let compiled: Promise<unknown> | undefined;
function compiledReadmeExample(): Promise<unknown> {
  compiled ??= (async () => {
    writeFileSync(join(app, "example.ts"), readmeExample());
    await run(process.execPath, [tsc, "-p", app]);
  })();
  return compiled;
}

// tsc, npm and Prism on a 2-core machine shared with other suites: generous per-test time.
const SLOW = 180_000;

/** Runs a command, resolving to its output whatever its exit code. */
async function outcome(command: string, args: string[], cwd: string): Promise<{ ok: boolean; output: string }> {
  return run(command, args, { cwd, maxBuffer: 16 * 1024 * 1024 }).then(
    ({ stdout, stderr }) => ({ ok: true, output: stdout + stderr }),
    (error: { stdout?: string; stderr?: string }) => ({ ok: false, output: `${error.stdout}${error.stderr}` }),
  );
}

describe("the packed SDK", () => {
  it(
    "is the tarball the docs serve, with ESM, CommonJS, the types of both, the README and the LICENSE",
    async () => {
      expect(tarball.endsWith(sdkTarballName())).toBe(true);
      expect(sdkTarballName()).toBe(`rizzit-open-api-client-${loadBundledSpec().info.version}.tgz`);
      const { stdout } = await run("tar", ["-tzf", tarball]);
      const files = stdout.trim().split("\n").sort();
      for (const format of ["esm", "cjs"]) {
        expect(files).toContain(`package/dist/${format}/index.js`);
        expect(files).toContain(`package/dist/${format}/index.d.ts`);
        expect(files).toContain(`package/dist/${format}/src/generated/schema.d.ts`);
        expect(files).toContain(`package/dist/${format}/src/generated/business-codes.js`);
      }
      expect(files).toContain("package/dist/cjs/package.json");
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
      expect(files.filter((f) => !f.startsWith("package/dist/"))).toEqual([
        "package/LICENSE",
        "package/README.md",
        "package/package.json",
      ]);
      const installed = JSON.parse(readFileSync(join(app, "node_modules", PKG, "package.json"), "utf8"));
      expect(installed.dependencies).toEqual({ "openapi-fetch": "0.17.0" });
      expect(installed.version).toBe(loadBundledSpec().info.version);
    },
    SLOW,
  );

  it("is licensed as the spec says (info.license)", () => {
    const license = loadBundledSpec().info.license;
    const pkg = JSON.parse(readFileSync(join(app, "node_modules", PKG, "package.json"), "utf8"));
    expect(pkg.license).toBe("SEE LICENSE IN LICENSE");
    const text = readFileSync(join(app, "node_modules", PKG, "LICENSE"), "utf8");
    expect(text.split("\n")[0]).toBe(license.name);
    expect(text).toContain(license.url);
  });

  it(
    "passes publint and attw (types right for import and require); a tarball whose require types are ESM fails both",
    async () => {
      const good = await outcome(bin("publint"), ["run", tarball, "--strict"], scratch);
      expect(good.ok, good.output).toBe(true);
      const attw = await outcome(bin("attw"), [tarball, "--format", "ascii"], scratch);
      expect(attw.ok, attw.output).toBe(true);
      expect(attw.output).toContain("No problems found");

      // Must fail: exports as this SDK shipped them before (ESM only: `require` gets the ESM build and its types,
      // which attw reports) and a `main` left pointing at the old layout (a missing file, which publint reports).
      const broken = join(scratch, "broken");
      mkdirSync(broken);
      await run("tar", ["-xzf", tarball, "-C", broken]);
      const pkgFile = join(broken, "package", "package.json");
      const pkg = JSON.parse(readFileSync(pkgFile, "utf8"));
      pkg.exports["."] = { types: "./dist/esm/index.d.ts", default: "./dist/esm/index.js" };
      pkg.main = "./dist/index.js";
      writeFileSync(pkgFile, JSON.stringify(pkg));
      const brokenTarball = join(scratch, "broken.tgz");
      await run("tar", ["-czf", brokenTarball, "-C", broken, "package"]);
      const badLint = await outcome(bin("publint"), ["run", brokenTarball, "--strict"], scratch);
      expect(badLint.ok, badLint.output).toBe(false);
      const badTypes = await outcome(bin("attw"), [brokenTarball, "--format", "ascii"], scratch);
      expect(badTypes.ok, badTypes.output).toBe(false);
    },
    SLOW,
  );

  it(
    "is accepted by npm publish --dry-run",
    async () => {
      const published = await outcome("npm", ["publish", "--dry-run", tarball], scratch);
      expect(published.ok, published.output).toBe(true);
      expect(published.output).toContain(`${PKG}@${loadBundledSpec().info.version}`);
    },
    SLOW,
  );

  it(
    "is imported and required from .mjs, .cjs, .mts and .cts, under plain Node and tsx, each calling the sandbox",
    async () => {
      // One program, four module flavours. The typed ones annotate with the package's own types, so a .d.ts that
      // does not match its module format fails tsc here.
      const body = (typed: boolean) => `
  const client = createOpenApiClient({
    baseUrl: process.env.OPENAPI_BASE_URL${typed ? " as string" : ""},
    clientId: process.env.OPENAPI_CLIENT_ID${typed ? " as string" : ""},
    clientSecret: process.env.OPENAPI_CLIENT_SECRET${typed ? " as string" : ""},
    tenantId: process.env.OPENAPI_TENANT_ID${typed ? " as string" : ""},
  });
  try {
    const goods${typed ? ': components["schemas"]["GoodsDetail"]' : ""} = await client.getGoodsDetail({ goodsId: "123456", source: 1 });
    const missing = await client.getGoodsDetail({ goodsId: "404404404", source: 1 }).catch((error${typed ? ": unknown" : ""}) => error);
    if (!(missing instanceof OpenApiError)) throw new Error("expected an OpenApiError");
    const key${typed ? ": BusinessKey | null" : ""} = missing.businessKey;
    console.log(JSON.stringify({ title: typeof goods.goodsTitle, code: missing.code === BusinessCode.GOODS_NOT_EXISTS, key }));
  } finally {
    await client.close();
  }`;
      const esmImport = `import { BusinessCode, createOpenApiClient, OpenApiError } from "${PKG}";`;
      const tsTypes = `import type { BusinessKey, components } from "${PKG}";`;
      const cjsMain = (inner: string) =>
        `async function main() {${inner}\n}\nmain().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n`;
      writeFileSync(join(app, "esm.mjs"), `${esmImport}\n${body(false)}\n`);
      writeFileSync(
        join(app, "cjs.cjs"),
        `const { BusinessCode, createOpenApiClient, OpenApiError } = require("${PKG}");\n${cjsMain(body(false))}`,
      );
      writeFileSync(join(app, "typed.mts"), `${esmImport}\n${tsTypes}\n${body(true)}\n`);
      // In a .cts file `import` compiles to require(): TypeScript resolves the package's "require" types.
      writeFileSync(join(app, "typed.cts"), `${esmImport}\n${tsTypes}\n${cjsMain(body(true))}`);
      writeFileSync(
        join(app, "tsconfig.flavours.json"),
        JSON.stringify({
          extends: "./tsconfig.json",
          compilerOptions: { outDir: "out-flavours" },
          include: ["typed.mts", "typed.cts"],
        }),
      );
      await run(process.execPath, [tsc, "-p", join(app, "tsconfig.flavours.json")], { cwd: app });
      // The compiled .cts really is CommonJS (require), the compiled .mts really is ESM (import).
      expect(readFileSync(join(app, "out-flavours", "typed.cjs"), "utf8")).toContain(`require("${PKG}")`);
      expect(readFileSync(join(app, "out-flavours", "typed.mjs"), "utf8")).toContain(`from "${PKG}"`);

      const runs: [string, string[]][] = [
        ["node esm.mjs", [process.execPath, "esm.mjs"]],
        ["node cjs.cjs", [process.execPath, "cjs.cjs"]],
        ["node typed.mts (tsc)", [process.execPath, "out-flavours/typed.mjs"]],
        ["node typed.cts (tsc)", [process.execPath, "out-flavours/typed.cjs"]],
        ["tsx esm.mjs", [bin("tsx"), "esm.mjs"]],
        ["tsx cjs.cjs", [bin("tsx"), "cjs.cjs"]],
        ["tsx typed.mts", [bin("tsx"), "typed.mts"]],
        ["tsx typed.cts", [bin("tsx"), "typed.cts"]],
      ];
      // Independent programs, each with its own client and token: run side by side.
      await Promise.all(
        runs.map(async ([label, [command, ...args]]) => {
          const { stdout } = await run(command as string, args, { cwd: app, env: sandboxEnv });
          expect(JSON.parse(stdout.trim()), label).toEqual({ title: "string", code: true, key: "GOODS_NOT_EXISTS" });
        }),
      );
    },
    SLOW,
  );

  it(
    "type-checks and runs the README example against Prism",
    async () => {
      await compiledReadmeExample();
      const prism = await startPrism();
      try {
        const { stdout } = await run(process.execPath, [join(app, "out", "example.js")], {
          cwd: app,
          env: { ...sandboxEnv, OPENAPI_BASE_URL: prism.baseUrl },
        });
        expect(stdout).toContain("Sample Goods: 99.00 yuan");
        expect(stdout).toMatch(/\d+ QC record\(s\)/);
        expect(stdout).toContain("redeemed E602F4DC626E4948");
      } finally {
        await prism.stop();
      }
    },
    SLOW,
  );

  it(
    "runs the README example against the stateful sandbox (real tokens, real redemption)",
    async () => {
      await compiledReadmeExample();
      const { stdout } = await run(process.execPath, [join(app, "out", "example.js")], { cwd: app, env: sandboxEnv });
      expect(stdout).toMatch(/: \d+\.\d{2} yuan/);
      expect(stdout).toMatch(/\d+ QC record\(s\)/);
      expect(stdout).toContain("redeemed E602F4DC626E4948");
    },
    SLOW,
  );

  it(
    "keeps the contract's types in the installed package: a wrong source fails to compile",
    async () => {
      writeFileSync(
        join(app, "example.ts"),
        `import { createOpenApiClient } from "@rizzit/open-api-client";
const client = createOpenApiClient({ baseUrl: "http://127.0.0.1:1", clientId: "a", clientSecret: "b", tenantId: "1" });
await client.getGoodsDetail({ goodsId: "1", source: 9 });
`,
      );
      const failed = await run(process.execPath, [tsc, "-p", app, "--noEmit"]).then(
        () => "",
        (error: { stdout: string }) => error.stdout,
      );
      expect(failed).toMatch(/example\.ts\(3,\d+\): error TS2322: Type '9' is not assignable to type/);
    },
    SLOW,
  );
});
