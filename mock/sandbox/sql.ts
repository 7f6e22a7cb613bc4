// One way to run SQL against either engine of the sandbox store (SQLite through better-sqlite3, PostgreSQL
// through pg), for everything that is not on a request's hot path: migrations, seeds, the admin commands, the
// purge, the short-link fixtures. The SQL is written once in the subset both engines share (`?` or `@name`
// parameters, `ON CONFLICT`, `RETURNING`, `string_agg`), and each adapter turns it into what its driver takes.
// The hot paths (token lookup and insert, redemption, the QPS counter) have an implementation per engine, tuned
// for it (sqlite-engine.ts, postgres/).
import type Database from "better-sqlite3";
import type { Pool, PoolClient, QueryConfig } from "pg";

/** Positional values for `?`, or named values for `@name`. */
export type SqlParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface RunResult {
  /** Rows inserted, updated or deleted. */
  changes: number;
  /** What a RETURNING clause returned. */
  rows: Record<string, unknown>[];
}

export interface Sql {
  readonly dialect: "sqlite" | "postgres";
  all<T>(sql: string, params?: SqlParams): Promise<T[]>;
  get<T>(sql: string, params?: SqlParams): Promise<T | undefined>;
  run(sql: string, params?: SqlParams): Promise<RunResult>;
  /** Statements separated by `;`, no parameters (DDL). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `work` in one write transaction: committed when it resolves, rolled back when it throws. On SQLite the
   * work must await only this Sql's own calls (they complete at once), so nothing else runs inside the
   * transaction; on PostgreSQL it has a connection of its own.
   */
  transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
}

const returnsRows = (sql: string): boolean => /\bRETURNING\b/i.test(sql);

/** better-sqlite3 takes `@name` with an object and `?` with an array, as written. */
export class SqliteSql implements Sql {
  readonly dialect = "sqlite";
  private readonly statements = new Map<string, Database.Statement>();
  /** The open transaction's end: calls from outside it wait (they would otherwise land inside it). */
  private open: Promise<unknown> | null = null;
  /** True on the handle a transaction's work receives. */
  private inside = false;
  /**
   * Writes made through this connection (its transactions' handles share the object). SQLite's data_version
   * tells a connection of other connections' commits only; a cache of this process's own readers also needs
   * this (sqlite-redemptions.ts).
   */
  readonly local = { writes: 0 };

  constructor(readonly db: Database.Database) {}

  private async turn(): Promise<void> {
    while (!this.inside && this.open !== null) await this.open.catch(() => undefined);
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      // Bounded by the SQL texts in this code base (a few dozen); the guard stops a programming error early.
      if (this.statements.size < 512) this.statements.set(sql, statement);
    }
    return statement;
  }

  private args(params: SqlParams | undefined): unknown[] {
    if (params === undefined) return [];
    return Array.isArray(params) ? (params as unknown[]) : [params];
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    if (this.open !== null) await this.turn();
    return this.statement(sql).all(...this.args(params)) as T[];
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    if (this.open !== null) await this.turn();
    return this.statement(sql).get(...this.args(params)) as T | undefined;
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    if (this.open !== null) await this.turn();
    this.local.writes += 1;
    const statement = this.statement(sql);
    if (returnsRows(sql)) {
      const rows = statement.all(...this.args(params)) as Record<string, unknown>[];
      return { changes: rows.length, rows };
    }
    return { changes: statement.run(...this.args(params)).changes, rows: [] };
  }

  async exec(sql: string): Promise<void> {
    if (this.open !== null) await this.turn();
    this.local.writes += 1;
    this.db.exec(sql);
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    // Nested calls join the outer transaction (the seeds call helpers that open their own).
    if (this.inside) return work(this);
    await this.turn();
    const tx: SqliteSql = Object.create(this);
    tx.inside = true;
    this.db.exec("BEGIN IMMEDIATE");
    const done = (async () => {
      try {
        const result = await work(tx);
        this.db.exec("COMMIT");
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec("ROLLBACK");
        throw error;
      }
    })();
    this.open = done;
    try {
      return await done;
    } finally {
      if (this.open === done) this.open = null;
    }
  }
}

/**
 * Rewrites `?` and `@name` placeholders into PostgreSQL's `$1`, `$2`, ... (a name used twice is one parameter,
 * so PostgreSQL infers its type from either use), and returns the values in that order. The SQL of this code
 * base never has `?` or `@` inside a string literal.
 */
export function toPostgres(sql: string, params: SqlParams | undefined): { text: string; values: unknown[] } {
  if (params === undefined) return { text: sql, values: [] };
  if (Array.isArray(params)) {
    let n = 0;
    return { text: sql.replace(/\?/g, () => `$${++n}`), values: params as unknown[] };
  }
  const named = params as Record<string, unknown>;
  const order: string[] = [];
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    if (!Object.hasOwn(named, name)) throw new Error(`SQL parameter @${name} has no value`);
    let index = order.indexOf(name);
    if (index < 0) index = order.push(name) - 1;
    return `$${index + 1}`;
  });
  return { text, values: order.map((name) => named[name]) };
}

type Queryable = Pool | PoolClient;

/** Named prepared statements a connection keeps at most; a text beyond them is sent unnamed, as before. */
const MAX_PREPARED = 256;
/**
 * `SELECT *` (or `t.*`, `RETURNING *`): its columns are the table's, and a prepared statement whose result columns
 * change (another instance's migration adds one) fails on that connection until it is closed ("cached plan must
 * not change result type"). Such texts run unnamed.
 */
const STAR_PROJECTION = /(?:\bSELECT|\bRETURNING|,)\s*(?:\w+\.)?\*/i;
/** The name of each statement text, the same in every connection of this process (pg prepares it per connection). */
const preparedNames = new Map<string, string>();

/**
 * A statement as a named prepared statement: each pool connection parses and plans it once, the first time it
 * runs there, and then only binds and executes it. Unnamed, PostgreSQL parsed and planned every statement each
 * time it ran, and pg sent its text along. The texts are this code's own, so their number is bounded; past
 * MAX_PREPARED (SQL built with identifiers in it) they run unnamed.
 */
export function prepared(text: string, values: unknown[]): QueryConfig {
  let name = preparedNames.get(text);
  if (name === undefined && preparedNames.size < MAX_PREPARED && !STAR_PROJECTION.test(text)) {
    name = `rizzit_${preparedNames.size + 1}`;
    preparedNames.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

export class PostgresSql implements Sql {
  readonly dialect = "postgres";

  constructor(
    private readonly pool: Pool,
    private readonly client: Queryable = pool,
  ) {}

  private async query(sql: string, params: SqlParams | undefined) {
    const { text, values } = toPostgres(sql, params);
    return this.client.query(prepared(text, values));
  }

  async all<T>(sql: string, params?: SqlParams): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params?: SqlParams): Promise<RunResult> {
    const result = await this.query(sql, params);
    return { changes: result.rowCount ?? 0, rows: result.rows };
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }

  async transaction<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    if (this.client !== this.pool) return work(this);
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(new PostgresSql(this.pool, client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
