// The runner as a platform team gets it: `npm pack` the contract package (which builds it to plain JS with the
// spec inside), keep the tarball in an otherwise empty repository outside this one (`tools/`), and run it the way
// contract/README.md says, `npx -y -p ./tools/<tarball> rizzit-contract ...`, on plain Node with nothing else from this kit: against a fresh sandbox (exit 0, JUnit written), with a wrong
// secret (exit 2, one line with the curl that shows the same answer) and against a port nobody listens on (exit 2).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, repoRoot, startSandbox } from "../helpers.ts";
import { credentials, runProcess, secret } from "./run-cli.ts";

const run = (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env) =>
  runProcess(command, args, cwd, env);

let scratch: string;
let app: string;
let sandbox: Awaited<ReturnType<typeof startSandbox>>;

let tarball: string;

/** `npx -y -p ./tools/<tarball> rizzit-contract ...` in the scratch repository, with only PATH, HOME and `env`. */
const contract = (args: string[], env: NodeJS.ProcessEnv) =>
  run("npx", ["-y", "-p", `./tools/${tarball}`, "rizzit-contract", ...args], app, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    REDOCLY_TELEMETRY: "off",
    // The registry is reachable, but the tools are in npm's cache already: no need to ask it on every run.
    npm_config_prefer_offline: "true",
    ...env,
  });

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), "rizzit-contract-pack-"));
  // Build and pack a copy (the package, the bundled spec and workflows it takes in), so that a test run never
  // writes into the working tree; the build borrows the kit's typescript through a node_modules link.
  const kit = join(scratch, "kit");
  for (const part of ["src", "scripts", "schemathesis", "package.json", "tsconfig.build.json", "README.md"]) {
    if (existsSync(join(repoRoot, "contract", part)))
      cpSync(join(repoRoot, "contract", part), join(kit, "contract", part), { recursive: true });
  }
  cpSync(join(repoRoot, "generated", "openapi.json"), join(kit, "generated", "openapi.json"));
  cpSync(join(repoRoot, "openapi", "arazzo"), join(kit, "openapi", "arazzo"), { recursive: true });
  symlinkSync(join(repoRoot, "node_modules"), join(kit, "node_modules"), "dir");
  const packed = await run("npm", ["pack", "--pack-destination", scratch, "--json"], join(kit, "contract"));
  expect(packed.code, packed.stderr).toBe(0);
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("[\n"))) as { filename: string }[];
  if (!info) throw new Error(`npm pack printed no package:\n${packed.stdout}`);

  app = join(scratch, "platform-repo");
  mkdirSync(join(app, "tools"), { recursive: true });
  tarball = info.filename;
  cpSync(join(scratch, info.filename), join(app, "tools", tarball));
  // The first `npx -p` installs the tarball and its tools into npm's cache (what a CI runner does on its first
  // run); the tests below then see only the runner's own output. Without credentials it stops at once (exit 2).
  const warmUp = await contract(["--base-url", "http://127.0.0.1:1"], {});
  expect(warmUp.code, warmUp.stderr).toBe(2);
  expect(warmUp.stderr).toContain("OPENAPI_CLIENT_ID");
  sandbox = await startSandbox({ env: { SANDBOX_LOG_LEVEL: "warn" } });
}, 300_000);

afterAll(async () => {
  await sandbox?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const SLOW = 180_000;

describe("the packed runner, installed outside the repository", () => {
  it("ships compiled JS, the spec, the workflows and the Schemathesis files; no TypeScript at runtime", async () => {
    const listed = await run("tar", ["-tzf", join("tools", tarball)], app);
    const files = listed.stdout.split("\n").map((f) => f.replace(/^package\//, ""));
    const manifest = JSON.parse(
      (await run("tar", ["-xzOf", join("tools", tarball), "package/package.json"], app)).stdout,
    );
    expect(manifest.bin).toEqual({ "rizzit-contract": "dist/cli.js" });
    expect(Object.keys(manifest.dependencies)).toEqual(
      expect.arrayContaining(["@redocly/cli", "ajv", "dredd", "fast-check"]),
    );
    expect(Object.keys(manifest.dependencies)).not.toContain("tsx");
    for (const file of [
      "dist/cli.js",
      "dist/dredd-hooks.cjs",
      "dist/spec/openapi.json",
      "schemathesis/rizzit_auth.py",
      "schemathesis/schemathesis.toml",
    ])
      expect(files, file).toContain(file);
    expect(files.filter((f) => f.startsWith("src/") || (f.endsWith(".ts") && !f.endsWith(".d.ts")))).toEqual([]);
  });

  it(
    "passes against a fresh sandbox (exit 0) and writes JUnit",
    async () => {
      const ran = await contract(
        ["--base-url", sandbox.baseUrl, "--seed", "11", "--cases", "6", "--junit", "reports/contract.xml"],
        credentials,
      );
      expect(ran.code, `${ran.stdout}\n${ran.stderr}`).toBe(0);
      expect(ran.stdout).toContain("PASSED");
      expect(ran.stdout).toMatch(/\| arazzo_workflow +\|/);
      expect(ran.stdout).toMatch(/\| dredd_transaction +\|/);
      expect(readFileSync(join(app, "reports", "contract.xml"), "utf8")).toMatch(/failures="0"/);
      expect(`${ran.stdout}${ran.stderr}`).not.toContain(secret);
      for (const line of ran.stdout.split("\n")) expect(line.length, line).toBeLessThanOrEqual(120);
    },
    SLOW,
  );

  it(
    "exits 2 with one line and the token call's curl when the secret is wrong",
    async () => {
      const ran = await contract(["--base-url", sandbox.baseUrl], { ...credentials, OPENAPI_CLIENT_SECRET: "typo" });
      expect(ran.code).toBe(2);
      expect(ran.stdout).toBe("");
      const lines = ran.stderr.trimEnd().split("\n");
      expect(lines, ran.stderr).toHaveLength(1);
      expect(lines[0]).toContain("the token endpoint refused $OPENAPI_CLIENT_ID");
      expect(lines[0]).toContain('-u "$OPENAPI_CLIENT_ID:$OPENAPI_CLIENT_SECRET"');
      expect(lines[0]).toContain("--data-raw 'grant_type=client_credentials'");
      expect(ran.stderr).not.toContain("typo");
    },
    SLOW,
  );

  it(
    "exits 2 with one line when nothing listens on the port",
    async () => {
      const port = await freePort();
      const ran = await contract(["--base-url", `http://127.0.0.1:${port}`], credentials);
      expect(ran.code).toBe(2);
      const lines = ran.stderr.trimEnd().split("\n");
      expect(lines, ran.stderr).toHaveLength(1);
      expect(lines[0]).toMatch(/cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\): check --base-url/);
    },
    SLOW,
  );
});
