// The SQLite store (the default): one file (or :memory:) in WAL mode, for one machine. Several processes on one
// file work (the admin CLI, a second sandbox): SQLite's file lock serialises their writes, `PRAGMA data_version`
// tells each that another wrote. What it does not share between processes: the QPS window (counted in memory,
// per process). For several machines, PostgreSQL (postgres/engine.ts).
import { Worker } from "node:worker_threads";
import type Database from "better-sqlite3";
import { SqliteRedeemer } from "./domain/sqlite-redemptions.ts";
import { migrate } from "./schema.ts";
import { type Sql, SqliteSql } from "./sql.ts";
import { type Db, externalChangeWatcher, isStoreBusy, openDatabase, RelaxedDurability } from "./store.ts";
import type { ChangeFeed, StoreEngine, TokenInsert } from "./store-engine.ts";

/** How often the checkpointer runs, and how large the WAL may grow before it truncates it (4 KiB pages). */
const CHECKPOINT_EVERY_MS = 50;
const TRUNCATE_PAGES = 16_384;
/** SQLite's default, put back if the checkpointer stops. */
const AUTOMATIC_CHECKPOINT_PAGES = 1000;

export class SqliteStore implements StoreEngine {
  readonly kind = "sqlite";
  readonly changes: ChangeFeed;
  private readonly relaxed: RelaxedDurability;
  private readonly insertAll;
  private checkpointer: Worker | undefined;
  /** clientId -> the current second's count (the QPS window), per process. */
  private readonly windows = new Map<string, { second: number; count: number }>();

  private constructor(
    readonly db: Db,
    readonly sql: SqliteSql,
    readonly label: string,
  ) {
    this.relaxed = new RelaxedDurability(db);
    const changed = externalChangeWatcher(db);
    const everything = { all: true, tokens: [] };
    this.changes = { take: () => (changed() ? everything : null) };
    const insert = db.prepare(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.insertAll = db.transaction((rows: readonly TokenInsert[]) => {
      for (const r of rows) insert.run(r.tokenKey, r.clientId, r.tenantId, r.scopes, r.issuedAt, r.expiresAt);
    });
  }

  /**
   * Opens (creating if needed) and migrates the store. Writes that matter commit with synchronous=FULL; the
   * exceptions (token inserts, the purge, redemption groups) say why where they are made (store.ts).
   */
  static async open(path: string): Promise<SqliteStore> {
    const db = openDatabase(path);
    const sql = new SqliteSql(db);
    try {
      await migrate(sql);
      db.pragma("synchronous = FULL");
    } catch (error) {
      db.close();
      throw error;
    }
    return new SqliteStore(db, sql, path);
  }

  /** Token inserts commit with synchronous=NORMAL (tokens.ts says what an OS crash could cost: a re-fetched token). */
  insertTokens(rows: readonly TokenInsert[]): void {
    this.relaxed.run(() => this.insertAll.immediate(rows));
  }

  countRequest(clientId: string, second: number): number {
    let window = this.windows.get(clientId);
    if (!window || window.second !== second) {
      window = { second, count: 0 };
      this.windows.set(clientId, window);
    }
    window.count += 1;
    return window.count;
  }

  redeemer(): SqliteRedeemer {
    return new SqliteRedeemer(this.db as Database.Database, this.sql);
  }

  /** NORMAL: a purge lost to a power failure is redone by the next run, and no batch waits for an fsync. */
  purgeBatch<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.relaxed.runAsync(() => this.sql.transaction(work));
  }

  isBusy(error: unknown): boolean {
    return isStoreBusy(error);
  }

  /**
   * From now on a write never blocks the event loop waiting for another process's lock: it fails at once and is
   * retried on timers (store.ts retryWhileBusy), then answered with a retryable 429. The start-up writes before
   * this may wait (busy_timeout), since nothing is served yet.
   */
  startServing(
    report: (message: string) => void = () => undefined,
    checkpoints = { everyMs: CHECKPOINT_EVERY_MS, truncatePages: TRUNCATE_PAGES },
  ): void {
    this.db.pragma("busy_timeout = 0");
    if (!this.db.memory) this.startCheckpointer(report, checkpoints);
  }

  /**
   * Moves WAL checkpoints off the event loop (wal-checkpointer.cjs says why). Should the thread fail, the
   * connection's automatic checkpoint comes back on, so the WAL never grows without bound.
   */
  private startCheckpointer(
    report: (message: string) => void,
    checkpoints: { everyMs: number; truncatePages: number },
  ): void {
    const worker = new Worker(new URL("./wal-checkpointer.cjs", import.meta.url), {
      workerData: { path: this.db.name, ...checkpoints },
    });
    const fallBack = (why: string) => {
      if (this.checkpointer !== worker) return;
      this.checkpointer = undefined;
      if (this.db.open) {
        this.db.pragma(`wal_autocheckpoint = ${AUTOMATIC_CHECKPOINT_PAGES}`);
        // The automatic checkpoint restarts the WAL but never shrinks its file: cut back at each restart instead.
        this.db.pragma(`journal_size_limit = ${checkpoints.truncatePages * 4096}`);
      }
      report(`the WAL checkpointer stopped (${why}): SQLite checkpoints on the event loop again`);
      void worker.terminate();
    };
    worker.on("message", (message: { failed?: string }) => fallBack(message.failed ?? "unknown"));
    worker.on("error", (error) => fallBack(error.message));
    worker.on("exit", (code) => fallBack(`exit ${code}`));
    worker.unref();
    this.checkpointer = worker;
    this.db.pragma("wal_autocheckpoint = 0");
    // No journal_size_limit here: it made this connection cut the WAL file back (ftruncate of tens of MiB) in the
    // first write after each restart, on the event loop, a 20-60 ms pause. The worker truncates the file instead.
  }

  async close(): Promise<void> {
    const worker = this.checkpointer;
    this.checkpointer = undefined;
    await worker?.terminate();
    this.db.close();
  }
}
