// The PostgreSQL store (SANDBOX_DB=postgres://...): the state of every sandbox instance pointed at one database,
// on any number of machines, so that they act as one. What each part guarantees across instances:
// - Applications, secrets (hashes), tokens, revocations, members, codes, redemptions: rows of the one database.
// - Caches (applications, tokens, verified secrets) never decide on a security fact that changed before the
//   request arrived: each request reads the store's security version first (one query per event-loop turn), and
//   LISTEN/NOTIFY says what to drop (change-feed.ts).
// - The QPS limit: one counter per application and second in the database (countRequest), not per process.
// - Redemptions: a transaction each, limits counted under the code's row lock (redemptions.ts).
import pg from "pg";
import { migrate } from "../schema.ts";
import { PostgresSql, type Sql } from "../sql.ts";
import { StoreBusyError } from "../store.ts";
import type { StoreEngine, TokenInsert } from "../store-engine.ts";
import { PostgresChangeFeed } from "./change-feed.ts";
import { PostgresRedeemer } from "./redemptions.ts";

// COUNT(*) and BIGINT columns arrive as strings by default (they may exceed 2^53); every such value here is a
// count or epoch milliseconds, far below it.
pg.types.setTypeParser(pg.types.builtins.INT8, Number);

/** Any number; the key of the advisory lock that lets one instance at a time migrate the schema. */
const MIGRATION_LOCK = 74_110_016;

/** What pg-pool says when no connection came free in time (it sets no code). */
const POOL_EXHAUSTED = "timeout exceeded when trying to connect";

/** The SQLSTATEs that mean "busy, try again": lock wait timed out, serialization failure, deadlock, too many clients. */
const BUSY_STATES = new Set(["55P03", "40001", "40P01", "53300"]);

/** host:port/database, for logs and the banner: never the user's password. */
export function describePostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return "PostgreSQL (unparsable URL)";
  }
}

export interface PostgresOptions {
  /** Connections per instance (SANDBOX_PG_POOL). */
  poolSize: number;
  /** How long a statement waits for a row lock before failing as busy (answered 429 + Retry-After). */
  lockTimeoutMs: number;
  /** Where the change feed reports trouble. */
  report: (message: string) => void;
}

export class PostgresStore implements StoreEngine {
  readonly kind = "postgres";
  readonly sql: Sql;

  private constructor(
    private readonly pool: pg.Pool,
    readonly changes: PostgresChangeFeed,
    readonly label: string,
  ) {
    this.sql = new PostgresSql(pool);
  }

  static async open(url: string, options: PostgresOptions): Promise<PostgresStore> {
    const config: pg.PoolConfig = {
      connectionString: url,
      max: options.poolSize,
      connectionTimeoutMillis: 5000,
      lock_timeout: options.lockTimeoutMs,
      // An instance that dies inside a transaction must not hold a code's row lock for long.
      idle_in_transaction_session_timeout: 10_000,
      application_name: "rizzit-sandbox",
    };
    const pool = new pg.Pool(config);
    // An idle connection dropped by the server is replaced on the next checkout; it must not crash the process.
    pool.on("error", (error) => options.report(`a pooled store connection failed: ${error.message}`));
    try {
      const sql = new PostgresSql(pool);
      await sql.transaction(async (tx) => {
        await tx.get("SELECT pg_advisory_xact_lock(?)", [MIGRATION_LOCK]);
        await migrate(tx);
      });
      const changes = await PostgresChangeFeed.start(
        pool,
        { ...config, application_name: "rizzit-sandbox-listen" },
        options.report,
      );
      return new PostgresStore(pool, changes, describePostgresUrl(url));
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * One statement for the group (unnest of arrays), committed with synchronous_commit off: like SQLite's NORMAL, a
   * crash of the database host could lose tokens issued in its last moments (their holders get 401 and fetch
   * another); a crash of an instance loses nothing that was answered.
   */
  async insertTokens(rows: readonly TokenInsert[]): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.exec("SET LOCAL synchronous_commit = off");
      await tx.run(
        `INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at)
         SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[])`,
        [
          rows.map((r) => r.tokenKey),
          rows.map((r) => r.clientId),
          rows.map((r) => r.tenantId),
          rows.map((r) => r.scopes),
          rows.map((r) => r.issuedAt),
          rows.map((r) => r.expiresAt),
        ],
      );
    });
  }

  /**
   * The application's count in this second, shared by every instance: one upsert on an UNLOGGED table (no WAL, no
   * fsync; a crash of the database forgives at most the current second). Applications without a limit never
   * come here.
   */
  async countRequest(clientId: string, second: number): Promise<number> {
    const counted = await this.sql.get<{ hits: number }>(
      `INSERT INTO qps_windows (client_id, second, hits) VALUES (?, ?, 1)
       ON CONFLICT (client_id, second) DO UPDATE SET hits = qps_windows.hits + 1 RETURNING hits`,
      [clientId, second],
    );
    return Number(counted?.hits ?? 1);
  }

  redeemer(): PostgresRedeemer {
    return new PostgresRedeemer(this.pool);
  }

  purgeBatch<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.sql.transaction(async (tx) => {
      await tx.exec("SET LOCAL synchronous_commit = off");
      return work(tx);
    });
  }

  isBusy(error: unknown): boolean {
    if (error instanceof StoreBusyError) return true;
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    // Every pooled connection stayed busy for connectionTimeoutMillis: this instance is saturated, try again.
    if (message === POOL_EXHAUSTED) return true;
    return typeof code === "string" && BUSY_STATES.has(code);
  }

  startServing(): void {}

  async close(): Promise<void> {
    await this.changes.close();
    await this.pool.end();
  }
}
