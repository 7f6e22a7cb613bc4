// `npm run admin -- <command> [args]`: the operations console of the sandbox, on the same store as the server
// (SANDBOX_DB: default .sandbox/sandbox.db, or a postgres:// URL). Running sandboxes see the changes on their
// next request (SQLite: data_version; PostgreSQL: the store's NOTIFY triggers).
import { appCommands } from "./admin/app-commands.ts";
import { AdminRegistry } from "./admin/registry.ts";
import { readConfig } from "./config.ts";
import { installDomain, registerDomainAdminCommands, registerShortLinkAdminCommands } from "./domain/index.ts";
import { describeStoreError, openStore } from "./open-store.ts";
import { seedDemoApps } from "./store.ts";
import type { StoreEngine } from "./store-engine.ts";

const registry = new AdminRegistry();
for (const command of appCommands) registry.register(command);
registerDomainAdminCommands(registry);
registerShortLinkAdminCommands(registry);

function help(): string {
  const lines = ["usage: npm run admin -- <command> [args]", "", "commands:"];
  for (const command of registry.list()) lines.push(`  ${command.usage}`, `      ${command.summary}`);
  lines.push(
    "",
    "The store is SANDBOX_DB (default .sandbox/sandbox.db, or postgres://user:password@host:port/database);",
    "`:memory:` makes no sense here.",
  );
  return lines.join("\n");
}

const [name, ...args] = process.argv.slice(2);
if (!name || name === "help" || name === "--help" || name === "-h") {
  console.log(help());
  process.exit(name ? 0 : 1);
}
const command = registry.get(name);
if (!command) {
  console.error(`unknown command "${name}"\n\n${help()}`);
  process.exit(1);
}
const config = readConfig();
if (config.dbPath === ":memory:") {
  console.error("SANDBOX_DB is :memory:: the admin CLI would change a store nobody else sees. Point it at a file.");
  process.exit(1);
}
let store: StoreEngine;
try {
  store = await openStore(config.dbPath, { poolSize: 2, report: () => undefined });
} catch (error) {
  console.error(`${name}: ${describeStoreError(config.dbPath, error)}`);
  process.exit(1);
}
try {
  // The demo data exists for the commands, exactly as when the server starts.
  await seedDemoApps(store.sql);
  await installDomain(store);
  await command.run(args, { sql: store.sql, out: (line) => console.log(line), now: () => new Date() });
} catch (error) {
  console.error(`${name}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await store.close();
}
