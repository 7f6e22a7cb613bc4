// The SDK as a partner gets it: `npm pack` the client (which builds it), install the tarball into a scratch
// project outside the repository, type-check and run the README's example against Prism and the sandbox.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot, startPrism, startSandbox } from "../helpers.ts";

const run = promisify(execFile);
const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");

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

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rizzit-sdk-pack-"));
  // Build and pack a copy of client/, so a test run never writes into the working tree other engineers share.
  // dereference: src/generated/schema.d.ts is a link to generated/; the copy holds the real file.
  const pkg = join(scratch, "pkg");
  const clientDir = join(repoRoot, "client");
  cpSync(clientDir, pkg, {
    recursive: true,
    dereference: true,
    filter: (source) => !/^\/?(dist|node_modules)(\/|$)/.test(source.slice(clientDir.length + 1)),
  });
  // The build needs typescript and openapi-fetch's types: the kit's dev dependencies, not part of the package.
  symlinkSync(join(repoRoot, "node_modules"), join(pkg, "node_modules"), "dir");
  const packed = await run("npm", ["pack", "--pack-destination", scratch, "--json"], { cwd: pkg });
  // prepack's build output comes first on stdout; npm's JSON report is the array after it.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[\n"))) as {
    filename: string;
    files: { path: string }[];
  }[];
  if (!info) throw new Error(`npm pack printed no package:\n${packed.stdout}`);
  tarball = join(scratch, info.filename);

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
  await run(
    "npm",
    ["install", tarball, "@types/node@20.19.43", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"],
    { cwd: app },
  );
}, 240_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// tsc, npm and Prism on a 2-core machine shared with other suites: generous per-test time.
const SLOW = 180_000;

describe("the packed SDK", () => {
  it(
    "contains the compiled ESM, the declarations and the contract's types, and nothing else",
    async () => {
      const { stdout } = await run("tar", ["-tzf", tarball]);
      const files = stdout.trim().split("\n").sort();
      expect(files).toContain("package/dist/index.js");
      expect(files).toContain("package/dist/index.d.ts");
      expect(files).toContain("package/dist/src/generated/schema.d.ts");
      expect(files).toContain("package/README.md");
      expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
      expect(files.filter((f) => !f.startsWith("package/dist/"))).toEqual([
        "package/README.md",
        "package/package.json",
      ]);
      const installed = JSON.parse(
        readFileSync(join(app, "node_modules/@rizzit/open-api-client/package.json"), "utf8"),
      );
      expect(installed.dependencies).toEqual({ "openapi-fetch": "0.17.0" });
      expect(installed.version).toBe(
        JSON.parse(readFileSync(join(repoRoot, "generated/openapi.json"), "utf8")).info.version,
      );
    },
    SLOW,
  );

  it(
    "type-checks and runs the README example against Prism",
    async () => {
      writeFileSync(join(app, "example.ts"), readmeExample());
      await run(process.execPath, [tsc, "-p", app]);
      const prism = await startPrism();
      try {
        const { stdout } = await run(process.execPath, [join(app, "out", "example.js")], {
          cwd: app,
          env: {
            ...process.env,
            OPENAPI_BASE_URL: prism.baseUrl,
            OPENAPI_CLIENT_ID: "sandbox-demo",
            OPENAPI_CLIENT_SECRET: "sandbox-demo-secret",
            OPENAPI_TENANT_ID: "1",
          },
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
      writeFileSync(join(app, "example.ts"), readmeExample());
      await run(process.execPath, [tsc, "-p", app]);
      const sandbox = await startSandbox();
      try {
        const { stdout } = await run(process.execPath, [join(app, "out", "example.js")], {
          cwd: app,
          env: {
            ...process.env,
            OPENAPI_BASE_URL: sandbox.baseUrl,
            OPENAPI_CLIENT_ID: "sandbox-demo",
            OPENAPI_CLIENT_SECRET: "sandbox-demo-secret",
            OPENAPI_TENANT_ID: "1",
          },
        });
        expect(stdout).toMatch(/: \d+\.\d{2} yuan/);
        expect(stdout).toMatch(/\d+ QC record\(s\)/);
        expect(stdout).toContain("redeemed E602F4DC626E4948");
      } finally {
        await sandbox.stop();
      }
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
