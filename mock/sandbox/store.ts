// The SQLite side of the sandbox store (better-sqlite3, WAL): opening the file, change detection, retries while
// another process holds the write lock, and the durability settings of each kind of write. The tables are
// schema.ts's (both engines); the demo applications are seeded here for both.
import { fdatasync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { hashSecretSync } from "./credentials.ts";
import type { Sql } from "./sql.ts";

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
    // Temporary files in memory, statement journals included: when redemptions ran in a SAVEPOINT each
    // (sqlite-redemptions.ts, now only after a failed write), theirs was a new /var/tmp file per group with a
    // pwrite per journaled page, about half the store's syscalls under redemption load.
    db.pragma("temp_store = MEMORY");
    db.exec("BEGIN IMMEDIATE; COMMIT");
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

/** Creates the demo applications if they are missing. Returns the ones it created. */
export async function seedDemoApps(sql: Sql, now = Date.now()): Promise<string[]> {
  const created: string[] = [];
  for (const app of demoApps) {
    const inserted = await sql.run(
      `INSERT INTO apps (client_id, name, tenant_id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [app.clientId, app.name, app.tenantId, hashSecretSync(app.secret), app.scopes.join(" "), now],
    );
    if (inserted.changes > 0) created.push(app.clientId);
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
 * Runs `attempt` and, while it fails as busy (SQLITE_BUSY: another process holds the write lock; on PostgreSQL a
 * lock wait timed out or a deadlock was broken: postgres/engine.ts), runs it again after
 * a short, growing, jittered pause, for at most `waitMs`; then fails with StoreBusyError. The pauses are timers,
 * not SQLite's busy_timeout: the event loop keeps serving everything else (reads never wait on a writer in WAL).
 */
export function retryWhileBusy<T>(
  attempt: () => T | Promise<T>,
  waitMs: number,
  isBusy: (error: unknown) => boolean = isStoreBusy,
): T | Promise<T> {
  // The first attempt allocates nothing more than a try: this runs on every request.
  let result: T | Promise<T>;
  try {
    result = attempt();
  } catch (error) {
    return retryLater(attempt, waitMs, error, isBusy);
  }
  return result instanceof Promise ? result.catch((error) => retryLater(attempt, waitMs, error, isBusy)) : result;
}

function retryLater<T>(
  attempt: () => T | Promise<T>,
  waitMs: number,
  first: unknown,
  isBusy: (error: unknown) => boolean,
): Promise<T> {
  const deadline = Date.now() + waitMs;
  let pause = 4;
  const retry = (error: unknown): Promise<T> => {
    if (!isBusy(error) || error instanceof StoreBusyError) return Promise.reject(error);
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
    const previous = this.lower();
    try {
      return write();
    } finally {
      this.restore(previous);
    }
  }

  /** The same for a write through sql.ts (SqliteSql completes its calls at once: nothing else runs meanwhile). */
  async runAsync<T>(write: () => Promise<T>): Promise<T> {
    const previous = this.lower();
    try {
      return await write();
    } finally {
      this.restore(previous);
    }
  }

  private lower(): number {
    const previous = this.level.get() as number;
    if (previous !== SYNCHRONOUS_NORMAL) this.normal.run();
    return previous;
  }

  private restore(previous: number): void {
    if (previous === SYNCHRONOUS_NORMAL) return;
    if (previous === SYNCHRONOUS_FULL) this.full.run();
    else this.db.pragma(`synchronous = ${Number(previous)}`);
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
