// The docs build: how long `npm run docs` takes end to end, and where the time goes (overlay, decoration, the two
// `redocly build-docs` runs), plus what a partner downloads per page.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildDocs, docsBundle, loadEnglishSpec, translatedSpec } from "../docs/build.ts";
import { locales } from "../docs/locales.ts";
import type { BenchTable } from "./run.ts";

export const title = "Docs build (`bench/docs.bench.ts`)";

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function timeMs(fn: () => void, rounds: number): number {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return median(times);
}

export async function run(): Promise<BenchTable> {
  const english = loadEnglishSpec();
  const zh = locales.find((l) => l.tag === "zh-CN");
  if (!zh) throw new Error("no zh-CN locale");
  const overlayMs = timeMs(() => translatedSpec(english, zh), 20);
  const translated = translatedSpec(english, zh);
  const decorateMs = timeMs(() => docsBundle(translated, zh), 20);

  const builds: number[] = [];
  let sizes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const out = mkdtempSync(join(tmpdir(), "docs-bench-"));
    const start = performance.now();
    await buildDocs({ outDir: out });
    builds.push((performance.now() - start) / 1000);
    sizes = locales.map((l) => `${l.tag} ${Math.round(statSync(join(out, l.tag, "index.html")).size / 1024)} KiB`);
    rmSync(out, { recursive: true, force: true });
  }
  return {
    columns: ["measure", "value"],
    rows: [
      ["apply the zh-CN overlay (median of 20)", `${overlayMs.toFixed(1)} ms`],
      ["decorate one bundle: guide, tables, 36 code samples (median of 20)", `${decorateMs.toFixed(1)} ms`],
      ["whole build, 2 languages (median of 3)", `${median(builds).toFixed(1)} s`],
      ["whole build, fastest / slowest", `${Math.min(...builds).toFixed(1)} s / ${Math.max(...builds).toFixed(1)} s`],
      ["page size (Redoc inlined)", sizes.join(", ")],
    ],
    notes: ["Nearly all of the build is the two `redocly build-docs` processes (run in parallel)."],
  };
}
