#!/usr/bin/env node
// Builds the publishable package into client/dist, twice from the same sources with tsc:
//   dist/esm  ES modules + .d.ts (module NodeNext), for `import`
//   dist/cjs  CommonJS + .d.ts (module CommonJS), for `require`, marked by dist/cjs/package.json {"type":"commonjs"}
// so that each build's .d.ts files describe the module format they sit beside (what `attw` checks). The spec's
// generated types are copied into both (tsc never copies a .d.ts input). Runs on `npm run build -w client` and on
// `npm pack` (prepack). src/generated/*.ts are links to the repository's generated/ files.
// Two tsc runs rather than a bundler (tsup, tshy): no further dependency, one file per source file, and the output
// is checked as a package by publint and attw in test/client/pack.test.ts.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
for (const [format, config] of [
  ["esm", "tsconfig.build.json"],
  ["cjs", "tsconfig.cjs.json"],
]) {
  execFileSync(process.execPath, [tsc, "-p", join(here, config)], { cwd: here, stdio: "inherit" });
  mkdirSync(join(dist, format, "src", "generated"), { recursive: true });
  copyFileSync(schema, join(dist, format, "src", "generated", "schema.d.ts"));
}
// The package is "type": "module"; this marks the CommonJS half (its .js and .d.ts) as CommonJS.
writeFileSync(join(dist, "cjs", "package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);

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
  const text = readFileSync(file, "utf8");
  for (const [, specifier] of text.matchAll(/(?:from|import\(|require\()\s*["'](\.{1,2}\/[^"']+)["']/g)) {
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
