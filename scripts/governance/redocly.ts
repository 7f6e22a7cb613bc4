// Runs the pinned Redocly CLI (bundle, diff, drift) as a child process: it has no programmatic API for these
// commands. Telemetry is off for every run (../shared/TOOLCHAIN.md).
import { spawn, spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The kit's repository (where node_modules and redocly.yaml live), whatever the working directory. */
export const kitRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const kitRedoclyConfig = join(kitRoot, "redocly.yaml");
const redoclyBin = join(kitRoot, "node_modules", ".bin", "redocly");

export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Redocly prints a boxed Node-version notice on every run; it is noise in our reports. */
function withoutBanner(text: string): string {
  return text
    .split("\n")
    .filter((line) => !/^\s*[║╔╚]/.test(line))
    .join("\n")
    .trim();
}

const redoclyEnv = (): NodeJS.ProcessEnv => ({
  ...process.env,
  REDOCLY_TELEMETRY: "off",
  NO_COLOR: "1",
  FORCE_COLOR: "0",
});

export function redocly(args: string[], cwd: string = kitRoot): CommandResult {
  const run = spawnSync(redoclyBin, args, { cwd, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: redoclyEnv() });
  if (run.error) throw new Error(`could not run redocly: ${run.error.message}`);
  return { code: run.status ?? 1, stdout: run.stdout, stderr: withoutBanner(run.stderr) };
}

/** The same, without blocking: several diffs (the test corpus) can run side by side. */
export function redoclyAsync(args: string[], cwd: string = kitRoot): Promise<CommandResult> {
  return new Promise((resolveRun, reject) => {
    const child = spawn(redoclyBin, args, { cwd, env: redoclyEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", (error) => reject(new Error(`could not run redocly: ${error.message}`)));
    child.on("close", (code) => resolveRun({ code: code ?? 1, stdout, stderr: withoutBanner(stderr) }));
  });
}

/**
 * Bundles `root` (an openapi.yaml) into one JSON file, run from the file's own folder so that no redocly.yaml of
 * any working directory changes the result: the base and the revision are bundled the same way.
 */
export function bundle(root: string, outFile: string): void {
  const run = redocly(["bundle", root, "--ext", "json", "-o", outFile], dirname(root));
  if (run.code !== 0) throw new Error(`redocly bundle ${root} failed:\n${run.stderr || run.stdout}`);
}
