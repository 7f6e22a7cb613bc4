// `npm run admin -- <command> [args]`: the operations console of the sandbox, on the same store as the server
// (SANDBOX_DB, default .sandbox/sandbox.db). A running sandbox sees the changes on its next request.
import { appCommands } from "./admin/app-commands.ts";
import { AdminRegistry } from "./admin/registry.ts";
import { readConfig } from "./config.ts";
import { installDomain, registerDomainAdminCommands, registerShortLinkAdminCommands } from "./domain/index.ts";
import { openDatabase, seedDemoApps } from "./store.ts";

const registry = new AdminRegistry();
for (const command of appCommands) registry.register(command);
registerDomainAdminCommands(registry);
registerShortLinkAdminCommands(registry);

function help(): string {
  const lines = ["usage: npm run admin -- <command> [args]", "", "commands:"];
  for (const command of registry.list()) lines.push(`  ${command.usage}`, `      ${command.summary}`);
  lines.push("", "The store is SANDBOX_DB (default .sandbox/sandbox.db); `:memory:` makes no sense here.");
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
const db = openDatabase(config.dbPath);
try {
  seedDemoApps(db);
  // The domain's tables must exist for its commands, exactly as when the server starts.
  installDomain(db);
  await command.run(args, { db, out: (line) => console.log(line), now: () => new Date() });
} catch (error) {
  console.error(`${name}: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  db.close();
}
