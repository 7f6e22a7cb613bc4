// `--spec <file|url>`: another version of the contract than the one bundled in the package. Redocly CLI (already
// a dependency, for `respect`) bundles it into one JSON file, so that a multi-file spec, YAML and a URL all work
// and every layer (Ajv, Dredd, Respect) reads the same single document.
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { bundledSpecPath } from "./assets.ts";
import { CannotJudge } from "./cannot-judge.ts";
import { runRedocly } from "./redocly.ts";

export interface SpecSource {
  path: string;
  /** What to print: the file or URL given, or "the bundled spec (version)". */
  label: string;
  cleanup: () => void;
}

const specVersion = (path: string) => {
  try {
    return String((JSON.parse(readFileSync(path, "utf8")) as { info?: { version?: string } }).info?.version);
  } catch {
    return "?";
  }
};

export async function prepareSpec(source: string | undefined): Promise<SpecSource> {
  if (source === undefined) {
    return { path: bundledSpecPath, label: `bundled spec ${specVersion(bundledSpecPath)}`, cleanup: () => {} };
  }
  const isUrl = /^https?:\/\//.test(source);
  const input = isUrl ? source : resolve(source);
  if (!isUrl && !existsSync(input)) {
    throw new CannotJudge(`--spec ${source}: no such file; give a path to an OpenAPI 3.1 file or an http(s) URL`);
  }
  const dir = mkdtempSync(join(tmpdir(), "contract-spec-"));
  const output = join(dir, "openapi.json");
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  // cwd is the empty temp folder: no redocly.yaml of the caller's changes how the spec is bundled.
  const result = await runRedocly(["bundle", input, "--output", output, "--ext", "json"], { cwd: dir });
  if (result.code !== 0 || !existsSync(output)) {
    cleanup();
    // Redocly's own lines, without the boxed notices it prints around them (e.g. its Node.js deprecation box).
    const lines = result.text.split("\n").filter((l) => l.trim() && !/[║╔╚═]/.test(l));
    const reason = lines.slice(-2).join(" ").replace(/\s+/g, " ").trim().slice(-240);
    throw new CannotJudge(
      `--spec ${source} could not be read as an OpenAPI document (${reason}); check the path or URL`,
    );
  }
  return { path: output, label: `spec ${source} (version ${specVersion(output)})`, cleanup };
}
