// Packs the SDK as npm publishes it, from a copy of client/ in a scratch folder, so packing never writes into the
// working tree (client/dist) that tests and other builds share. Used by the docs build (the tarball the docs serve
// as a download) and by test/client/pack.test.ts (the tarball partners install).
import { execFile } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const clientDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = resolve(clientDir, "..");

/** The file name `npm pack` gives the SDK's tarball: `rizzit-open-api-client-<version>.tgz`. */
export function sdkTarballName(): string {
  const pkg = JSON.parse(readFileSync(join(clientDir, "package.json"), "utf8")) as { name: string; version: string };
  return `${pkg.name.replace(/^@/, "").replace("/", "-")}-${pkg.version}.tgz`;
}

export interface PackedSdk {
  /** The tarball's path (in `destination`). */
  tarball: string;
  /** The copy of client/ that was packed, with its build output (for `npm publish --dry-run`, say). */
  packageDir: string;
  /** Removes the copy (not the tarball). */
  cleanup: () => void;
}

/** Copies client/ (links dereferenced, without dist/ and node_modules/), then `npm pack`s it into `destination`. */
export async function packSdk(destination: string): Promise<PackedSdk> {
  const scratch = mkdtempSync(join(tmpdir(), "rizzit-sdk-copy-"));
  const packageDir = join(scratch, "client");
  // dereference: src/generated/*.ts are links into generated/; the copy holds the real files.
  cpSync(clientDir, packageDir, {
    recursive: true,
    dereference: true,
    filter: (source) => !/^\/?(dist|node_modules)(\/|$)/.test(source.slice(clientDir.length + 1)),
  });
  // The build needs typescript and openapi-fetch's types: the kit's dev dependencies, not part of the package.
  symlinkSync(join(repoRoot, "node_modules"), join(packageDir, "node_modules"), "dir");
  mkdirSync(destination, { recursive: true });
  const cleanup = () => rmSync(scratch, { recursive: true, force: true });
  try {
    const { stdout } = await run("npm", ["pack", "--pack-destination", destination, "--json"], {
      cwd: packageDir,
      maxBuffer: 16 * 1024 * 1024,
    });
    // prepack's build output comes first on stdout; npm's JSON report is the array after it.
    const [info] = JSON.parse(stdout.slice(stdout.indexOf("[\n"))) as { filename: string }[];
    if (!info) throw new Error(`npm pack printed no package:\n${stdout}`);
    return { tarball: join(destination, info.filename), packageDir, cleanup };
  } catch (error) {
    cleanup();
    throw error;
  }
}
