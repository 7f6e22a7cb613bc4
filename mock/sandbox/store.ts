// The one SQLite database of the sandbox (better-sqlite3, WAL): opening it, its tables, and the demo applications.
// The domain module (mock/sandbox/domain/) adds its own tables to the same database.
import { fdatasync, mkdirSync, openSync } from "node:fs";
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

export type DemoApp = (typeof demoApps)[number];

/**
 * Opens the store and makes sure it can be written (a write transaction is begun and committed at once), so a
 * corrupt, read-only or unwritable file fails here, at start, not on a partner's first token request. Throws the
 * SQLite error; describeStoreError turns it into the one line the operator sees.
 */
export function openDatabase(path: string): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    db.exec("BEGIN IMMEDIATE; COMMIT");
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** One line for an operator whose store cannot be used: which file, which variable, what to do. */
export function describeStoreError(path: string, error: unknown): string {
  const { code = "", message = String(error) } = error as { code?: string; message?: string };
  const advice =
    code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT"
      ? "it is not a readable SQLite database: move it away (a fresh store is created) or set SANDBOX_DB to another file"
      : code.startsWith("SQLITE_READONLY") || code === "SQLITE_CANTOPEN" || code === "EACCES" || code === "EROFS"
        ? "it cannot be written: make the file and its folder writable, or set SANDBOX_DB to a writable path"
        : code === "ENOTDIR" || code === "EEXIST" || code === "EISDIR"
          ? "its folder cannot be created: set SANDBOX_DB to a path in a writable folder"
          : code.startsWith("SQLITE_BUSY")
            ? "another process holds its lock: stop it or set SANDBOX_DB to another file"
            : "set SANDBOX_DB to a writable SQLite file (or :memory:)";
  return `cannot use the store SANDBOX_DB=${path} (${code || "error"}: ${message.split("\n")[0]}): ${advice}`;
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

/** A write could not get the store's lock within the wait: answered 429 + Retry-After (retryable), never 500. */
export class StoreBusyError extends Error {
  constructor() {
    super("the store's write lock is held by another connection");
  }
}

export const isStoreBusy = (error: unknown): boolean =>
  error instanceof StoreBusyError || String((error as { code?: unknown })?.code ?? "").startsWith("SQLITE_BUSY");

/**
 * Runs `attempt` and, while it fails with SQLITE_BUSY (another process holds the write lock), runs it again after
 * a short, growing, jittered pause, for at most `waitMs`; then fails with StoreBusyError. The pauses are timers,
 * not SQLite's busy_timeout: the event loop keeps serving everything else (reads never wait on a writer in WAL).
 */
export function retryWhileBusy<T>(attempt: () => T | Promise<T>, waitMs: number): T | Promise<T> {
  // The first attempt allocates nothing more than a try: this runs on every request.
  let result: T | Promise<T>;
  try {
    result = attempt();
  } catch (error) {
    return retryLater(attempt, waitMs, error);
  }
  return result instanceof Promise ? result.catch((error) => retryLater(attempt, waitMs, error)) : result;
}

function retryLater<T>(attempt: () => T | Promise<T>, waitMs: number, first: unknown): Promise<T> {
  const deadline = Date.now() + waitMs;
  let pause = 4;
  const retry = (error: unknown): Promise<T> => {
    if (!isStoreBusy(error) || error instanceof StoreBusyError) return Promise.reject(error);
    if (Date.now() >= deadline) return Promise.reject(new StoreBusyError());
    pause = Math.min(pause * 2, 64);
    return new Promise<void>((resume) => setTimeout(resume, pause * (0.5 + Math.random()))).then(run);
  };
  const run = (): Promise<T> => {
    try {
      return Promise.resolve(attempt()).catch(retry);
    } catch (error) {
      return retry(error);
    }
  };
  return retry(first);
}

/**
 * Runs writes whose loss on an OS crash or power failure costs nothing a partner was promised (a token's insert,
 * the purge's deletes) with synchronous=NORMAL, then puts the connection's setting back (installDomain sets FULL
 * for everything else). In WAL mode a NORMAL commit is in the WAL file through write() before COMMIT returns, so
 * kill -9 of the process loses nothing; only the fsync at each commit is skipped (100-170 µs per commit here, and
 * a pause of the event loop for every purge batch). The next FULL commit fsyncs the WAL, these frames included.
 */
export class RelaxedDurability {
  private readonly level;
  private readonly normal;
  private readonly full;

  constructor(private readonly db: Db) {
    this.level = db.prepare<[], number>("PRAGMA synchronous").pluck();
    this.normal = db.prepare("PRAGMA synchronous = NORMAL");
    this.full = db.prepare("PRAGMA synchronous = FULL");
  }

  run<T>(write: () => T): T {
    // The setting is per connection and read at each COMMIT: lowered for this write, then put back as it was.
    const previous = this.level.get();
    if (previous === SYNCHRONOUS_NORMAL) return write();
    this.normal.run();
    try {
      return write();
    } finally {
      if (previous === SYNCHRONOUS_FULL) this.full.run();
      else this.db.pragma(`synchronous = ${Number(previous)}`);
    }
  }
}

/**
 * A write transaction made durable without blocking the event loop on its fsync: it commits with
 * synchronous=NORMAL (the frames are in the WAL file through write() when COMMIT returns), then the WAL file is
 * fdatasync'ed on libuv's thread pool, and only then `done` runs (the caller answers there). This is what FULL
 * does (an fsync of the WAL at COMMIT), with the same guarantee for whoever waits for `done`: nothing acknowledged
 * is lost on kill -9, an OS crash or a power failure. The WAL is one file written in order, so the fdatasync
 * also covers every earlier commit; a checkpoint that moved frames into the database synced them itself. While
 * one group's fsync is in flight, the next group can already commit. A store in memory has nothing to sync.
 */
export class DurableCommit {
  private readonly relaxed: RelaxedDurability;
  private wal: number | undefined;

  constructor(private readonly db: Db) {
    this.relaxed = new RelaxedDurability(db);
  }

  run<T>(write: () => T, done: (error: Error | null) => void): T {
    // `done` always runs after run() returned (the caller reads the result in it).
    if (this.db.memory) {
      const result = write();
      queueMicrotask(() => done(null));
      return result;
    }
    const result = this.relaxed.run(write);
    if (this.wal === undefined) {
      try {
        this.wal = openSync(`${this.db.name}-wal`, "r");
      } catch (error) {
        queueMicrotask(() => done(error as Error));
        return result;
      }
    }
    fdatasync(this.wal, (error) => done(error));
    return result;
  }
}

/** SQLite's codes for the synchronous setting. */
const SYNCHRONOUS_NORMAL = 1;
const SYNCHRONOUS_FULL = 2;
