#!/usr/bin/env node
// Builds the publishable runner into contract/dist: plain ES modules from src/ (tsc, `.ts` imports rewritten to
// `.js`, so it runs on Node 20 without tsx), the Dredd hooks, and the contract it checks: the kit's bundled spec
// (generated/openapi.json) and Arazzo workflows (openapi/arazzo/, source description pointed at that copy).
// Runs on `npm run build -w contract` and on `npm pack` (prepack).
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse, stringify } from "yaml";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const kit = resolve(here, "..");
const dist = join(here, "dist");
const spec = join(kit, "generated", "openapi.json");
const arazzo = join(kit, "openapi", "arazzo");

if (!existsSync(spec)) {
  console.error(`${spec} is missing: run \`npm run build\` at the repository root to bundle the spec.`);
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.build.json")], { cwd: here, stdio: "inherit" });
copyFileSync(join(here, "src", "dredd-hooks.cjs"), join(dist, "dredd-hooks.cjs"));
chmodSync(join(dist, "cli.js"), 0o755);

mkdirSync(join(dist, "spec", "arazzo"), { recursive: true });
copyFileSync(spec, join(dist, "spec", "openapi.json"));
for (const file of readdirSync(arazzo).filter((f) => f.endsWith(".arazzo.yaml"))) {
  const doc = parse(readFileSync(join(arazzo, file), "utf8"));
  for (const source of doc.sourceDescriptions ?? []) if (source.type === "openapi") source.url = "../openapi.json";
  writeFileSync(join(dist, "spec", "arazzo", file), stringify(doc));
}

// Every relative import must resolve inside dist: a `.ts` specifier left behind would only fail on a user's machine.
const broken = [];
for (const file of readdirSync(dist).filter((f) => f.endsWith(".js"))) {
  for (const [, specifier] of readFileSync(join(dist, file), "utf8").matchAll(/from\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    if (!existsSync(resolve(dist, specifier))) broken.push(`${file}: ${specifier}`);
  }
}
if (broken.length > 0) {
  console.error(`dist has imports that do not resolve inside the package:\n${broken.join("\n")}`);
  process.exit(1);
}
console.log(`built ${dist}`);
