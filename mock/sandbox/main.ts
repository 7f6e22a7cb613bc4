// `npm start`: the stateful sandbox on HOST:PORT (default 127.0.0.1:4010). Prints the demo credentials and URLs.
import { readConfig } from "./config.ts";
import { closeConnections } from "./connections.ts";
import { installDomain } from "./domain/index.ts";
import type { DomainPort } from "./domain-port.ts";
import { createLogger } from "./log.ts";
import { describeStoreError, openStore } from "./open-store.ts";
import { StorePurge, startPurge } from "./retention.ts";
import { buildServer } from "./server.ts";
import { loadSpec } from "./spec.ts";
import { demoApps, seedDemoApps } from "./store.ts";
import type { StoreEngine } from "./store-engine.ts";

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
let store: StoreEngine;
let seeded: string[];
let pruned: number;
let domain: DomainPort;
try {
  store = await openStore(config.dbPath, {
    poolSize: config.postgresPoolSize,
    lockTimeoutMs: config.writeWaitMs,
    report: (message) => logger.warn(message),
  });
  seeded = await seedDemoApps(store.sql);
  // The business behaviour (issue 5) gets the same store; it seeds its demo data idempotently.
  domain = await installDomain(store);
  // What expired while the sandbox was stopped goes now; while it runs, startPurge (below) keeps it bounded.
  pruned = (await new StorePurge(store).all(Date.now())).tokens;
} catch (error) {
  fail(describeStoreError(config.dbPath, error));
}
store.startServing((message) => logger.warn(message));
const { app, demoCredentials: demo } = buildServer({ config, store, spec, domain, logger });
const stopPurge = startPurge(store, {
  purged: (counts) => logger.debug("store purged", { ...counts }),
  failed: (error) => logger.error("store purge failed", { error: String(error) }),
});
// Before listening, so the banner is out by the time the first request is answered.
const demoCredentials = new Set((await demo.usable()).map((a) => a.clientId));

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
logger.info("sandbox started", { url: base, store: store.label, seeded, prunedTokens: pruned });
logger.flush();

const banner = [
  "",
  `Rizzit Open Platform sandbox listening on ${base}`,
  `  API base:  ${base}/open-api/...   (token: POST ${base}/open-api/system/oauth2/token)`,
  `  Docs:      ${base}/docs/`,
  `  Store:     ${store.label}   token TTL ${config.tokenTtlSeconds} s`,
  "  Demo credentials (tenant-id 1):",
  ...demoApps.map((a) => {
    const secret = demoCredentials.has(a.clientId) ? a.secret : "(secret was reset: use the one reset-secret printed)";
    return `    ${a.clientId} / ${secret}   scopes: ${a.scopes.join(" ")}`;
  }),
  "  Try:",
  `    curl -s -u ${tryCredentials()} -H 'tenant-id: 1' -d grant_type=client_credentials ${base}/open-api/system/oauth2/token`,
  "",
].join("\n");
process.stdout.write(`${banner}\n`);

// SIGTERM/SIGINT: stop accepting, let requests in flight finish, then close every connection (idle or stalled)
// after SANDBOX_SHUTDOWN_GRACE; the process exits even if something still hangs. A second signal exits at once.
// (A repeat within a second is the same signal delivered twice, to the process group and relayed by a wrapper such
// as tsx or npm, not an operator insisting.)
let closingSince = 0;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (closingSince > 0) {
      if (Date.now() - closingSince > 1000) process.exit(1);
      return;
    }
    closingSince = Date.now();
    setTimeout(() => process.exit(1), config.shutdownGraceMs + 2000).unref();
    const cancel = closeConnections(app.server, config.shutdownGraceMs);
    app
      .close()
      .catch(() => undefined)
      .finally(() => {
        cancel();
        stopPurge();
        logger.info("sandbox stopped", { signal });
        logger.flush();
        store
          .close()
          .catch(() => undefined)
          .finally(() => process.exit(0));
      });
  });
}

function tryCredentials(): string {
  const usable = demoApps.find((a) => demoCredentials.has(a.clientId));
  return usable ? `${usable.clientId}:${usable.secret}` : "<clientId>:<clientSecret>";
}
