// `npm start`: the stateful sandbox on HOST:PORT (default 127.0.0.1:4010). Prints the demo credentials and URLs.
import { readConfig } from "./config.ts";
import { installDomain } from "./domain/index.ts";
import type { DomainPort } from "./domain-port.ts";
import { createLogger } from "./log.ts";
import { buildServer } from "./server.ts";
import { loadSpec } from "./spec.ts";
import { demoApps, openDatabase, pruneTokens, seedDemoApps } from "./store.ts";

function fail(message: string): never {
  console.error(`sandbox: ${message}`);
  process.exit(1);
}

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  fail((error as Error).message);
}
const logger = createLogger(config.logLevel);
const spec = loadSpec();
const db = openDatabase(config.dbPath);
const seeded = seedDemoApps(db);
const pruned = pruneTokens(db);
// The business behaviour (issue 5) gets the one database; it creates and seeds its own tables idempotently.
const domain: DomainPort = installDomain(db);
const { app } = buildServer({ config, db, spec, domain, logger });

try {
  await app.listen({ host: config.host, port: config.port });
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  fail(
    code === "EADDRINUSE"
      ? `${config.host}:${config.port} is in use: stop the other server or set PORT`
      : `cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`,
  );
}
const address = app.server.address();
const port = typeof address === "object" && address ? address.port : config.port;
const base = `http://${config.host}:${port}`;
logger.info("sandbox started", { url: base, store: config.dbPath, seeded, prunedTokens: pruned });
logger.flush();

const banner = [
  "",
  `Rizzit Open Platform sandbox listening on ${base}`,
  `  API base:  ${base}/open-api/...   (token: POST ${base}/open-api/system/oauth2/token)`,
  `  Docs:      ${base}/docs/`,
  `  Store:     ${config.dbPath}   token TTL ${config.tokenTtlSeconds} s`,
  "  Demo credentials (tenant-id 1):",
  ...demoApps.map((a) => `    ${a.clientId} / ${a.secret}   scopes: ${a.scopes.join(" ")}`),
  "  Try:",
  `    curl -s -u sandbox-demo:sandbox-demo-secret -H 'tenant-id: 1' -d grant_type=client_credentials ${base}/open-api/system/oauth2/token`,
  "",
].join("\n");
process.stdout.write(`${banner}\n`);

let closing = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app
      .close()
      .catch(() => undefined)
      .finally(() => {
        logger.info("sandbox stopped", { signal });
        logger.flush();
        db.close();
        process.exit(0);
      });
  });
}
