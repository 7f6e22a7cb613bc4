// The one SQLite database of the sandbox (better-sqlite3, WAL): opening it, its tables, and the demo applications.
// The domain module (mock/sandbox/domain/) adds its own tables to the same database.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { hashSecretSync } from "./credentials.ts";

export type Db = Database.Database;

export const allScopes = [
  "goods:detail:read",
  "goods:qc:read",
  "goods:search:read",
  "promotion:redeem-code:redeem",
] as const;

/** The demo applications of shared-facts: created once, never overwritten (a reset secret stays reset). */
export const demoApps = [
  {
    clientId: "sandbox-demo",
    secret: "sandbox-demo-secret",
    name: "Sandbox demo (all scopes)",
    tenantId: "1",
    scopes: [...allScopes],
  },
  {
    clientId: "sandbox-goods-reader",
    secret: "sandbox-goods-reader-secret",
    name: "Sandbox goods reader (goods:detail:read only)",
    tenantId: "1",
    scopes: ["goods:detail:read"],
  },
] as const;

export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let db: Db;
  try {
    db = new Database(path);
  } catch (error) {
    throw new Error(`cannot open the sandbox store ${path} (${(error as Error).message}): check SANDBOX_DB`);
  }
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS apps (
      client_id     TEXT PRIMARY KEY,
      name          TEXT NOT NULL,
      tenant_id     TEXT NOT NULL,
      secret_hash   TEXT NOT NULL,
      scopes        TEXT NOT NULL,
      ip_whitelist  TEXT NOT NULL DEFAULT '',
      qps_limit     INTEGER NOT NULL DEFAULT 0,
      created_at    INTEGER NOT NULL,
      secret_reset_at INTEGER
    );
    CREATE TABLE IF NOT EXISTS tokens (
      token_hash  TEXT PRIMARY KEY,
      client_id   TEXT NOT NULL REFERENCES apps(client_id) ON DELETE CASCADE,
      tenant_id   TEXT NOT NULL,
      scopes      TEXT NOT NULL,
      user_type   TEXT NOT NULL DEFAULT 'OPEN_API',
      issued_at   INTEGER NOT NULL,
      expires_at  INTEGER NOT NULL,
      revoked_at  INTEGER
    );
    CREATE INDEX IF NOT EXISTS tokens_by_client ON tokens(client_id);
  `);
}

/** Creates the demo applications if they are missing. Returns the ones it created. */
export function seedDemoApps(db: Db, now = Date.now()): string[] {
  const exists = db.prepare("SELECT 1 FROM apps WHERE client_id = ?").pluck();
  const insert = db.prepare(
    "INSERT INTO apps (client_id, name, tenant_id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const created: string[] = [];
  for (const app of demoApps) {
    if (exists.get(app.clientId)) continue;
    insert.run(app.clientId, app.name, app.tenantId, hashSecretSync(app.secret), app.scopes.join(" "), now);
    created.push(app.clientId);
  }
  return created;
}

/** Drops tokens that expired more than a day ago, so a long-lived store does not grow without bound. */
export function pruneTokens(db: Db, now = Date.now()): number {
  return db.prepare("DELETE FROM tokens WHERE expires_at < ?").run(now - 86_400_000).changes;
}

/**
 * Tells whether another connection (the admin CLI) committed since the last check. SQLite's data_version changes
 * only for other connections' commits, so the server's caches stay coherent with the CLI. The pragma runs at most
 * once per millisecond: under load that spares most requests the SQLite call, and a change made by the CLI is
 * seen at most 1 ms late (far less than the CLI takes to exit).
 */
export function externalChangeWatcher(db: Db): () => boolean {
  const version = db.prepare("PRAGMA data_version").pluck();
  let last = version.get();
  let checkedAt = Date.now();
  return () => {
    const now = Date.now();
    if (now === checkedAt) return false;
    checkedAt = now;
    const current = version.get();
    if (current === last) return false;
    last = current;
    return true;
  };
}
