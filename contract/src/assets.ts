// Where the runner finds what it checks against and the tools it starts. Installed from npm, the spec and the
// Arazzo workflows sit inside the package (dist/spec/, copied there by scripts/build.mjs); run from the kit's
// sources (`npm run contract`), they are the repository's generated/openapi.json and openapi/arazzo/.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const packaged = join(here, "spec");
const inPackage = existsSync(join(packaged, "openapi.json"));
const repoRoot = join(here, "..", "..");

/** The bundled spec of the version this runner was built for. */
export const bundledSpecPath = inPackage ? join(packaged, "openapi.json") : join(repoRoot, "generated", "openapi.json");
/** The Arazzo workflow files (`*.arazzo.yaml`). */
export const arazzoDir = inPackage ? join(packaged, "arazzo") : join(repoRoot, "openapi", "arazzo");
/** The Dredd hook file, beside this module in both layouts. */
export const dreddHooksPath = join(here, "dredd-hooks.cjs");
/** Redocly CLI's entry point (run with this Node for `respect` and `bundle`), resolved like any dependency. */
export const redoclyCli = createRequire(import.meta.url).resolve("@redocly/cli/bin/cli.js");
