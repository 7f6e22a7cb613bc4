#!/usr/bin/env node
// Builds the publishable package into client/dist: ESM + .d.ts from index.ts and src/ (tsc), with the spec's
// generated types copied inside (tsc never copies a .d.ts input). Runs on `npm run build -w client` and on
// `npm pack` (prepack). src/generated/schema.d.ts is a link to the repository's generated/schema.d.ts.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const dist = join(here, "dist");
const schema = join(here, "src", "generated", "schema.d.ts");

if (!existsSync(schema)) {
  console.error(`${schema} is missing: run \`npm run build\` at the repository root to generate the spec's types.`);
  process.exit(1);
}
rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(here, "tsconfig.build.json")], { cwd: here, stdio: "inherit" });
mkdirSync(join(dist, "src", "generated"), { recursive: true });
copyFileSync(schema, join(dist, "src", "generated", "schema.d.ts"));

// A published .d.ts that points outside the package breaks every partner's type-check: fail the build instead.
function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}
const broken = [];
for (const file of files(dist)) {
  for (const [, specifier] of readFileSync(file, "utf8").matchAll(/(?:from|import\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = resolve(dirname(file), specifier);
    const candidates = [target, target.replace(/\.js$/, ".d.ts")];
    if (!target.startsWith(dist) || !candidates.some((c) => existsSync(c))) broken.push(`${file}: ${specifier}`);
  }
}
if (broken.length > 0) {
  console.error(`dist has imports that do not resolve inside the package:\n${broken.join("\n")}`);
  process.exit(1);
}
console.log(`built ${dist}`);
