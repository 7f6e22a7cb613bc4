// Where the sandbox finds the repository's files, independent of the working directory it was started from.
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const bundledSpecPath = join(repoRoot, "generated", "openapi.json");
