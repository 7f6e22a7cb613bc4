// `npm run mock`: Prism serving the examples of the bundled spec (generated/openapi.json) on 127.0.0.1:4011.
// MOCK_PORT / MOCK_HOST override the address; extra arguments are passed to `prism mock` (e.g. `-- -d`).
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const spec = join(root, "generated", "openapi.json");
const prism = join(root, "node_modules", ".bin", "prism");
if (!existsSync(spec)) {
  console.error(`${spec} is missing: run \`npm run build\` first to bundle openapi/ into generated/.`);
  process.exit(1);
}
const host = process.env.MOCK_HOST ?? "127.0.0.1";
const port = process.env.MOCK_PORT ?? "4011";
if (!/^\d{1,5}$/.test(port)) {
  console.error(`MOCK_PORT must be a port number, got "${port}".`);
  process.exit(1);
}
console.log(`Prism mock of ${spec} on http://${host}:${port}`);
console.log('Switch responses with the Prefer header: "Prefer: code=429", "Prefer: example=GoodsResponseNotFound",');
console.log('"Prefer: dynamic=true" (see mock/README.md). Any "Bearer x" token passes; scopes are not checked.');
const child = spawn(prism, ["mock", spec, "-h", host, "-p", port, ...process.argv.slice(2)], { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
