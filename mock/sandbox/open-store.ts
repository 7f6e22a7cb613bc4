// SANDBOX_DB picks the engine: a postgres:// URL opens the PostgreSQL store, anything else is a SQLite file (or
// :memory:). One function for the server, the admin CLI and the tests.
import { describePostgresUrl, PostgresStore } from "./postgres/engine.ts";
import { SqliteStore } from "./sqlite-engine.ts";
import { describeStoreError as describeSqliteError } from "./store.ts";
import { isPostgresUrl, type StoreEngine } from "./store-engine.ts";

export interface StoreOptions {
  /** PostgreSQL: connections per instance. */
  poolSize?: number;
  /** PostgreSQL: how long a write waits for a row lock before it is answered as busy (429). */
  lockTimeoutMs?: number;
  report?: (message: string) => void;
}

export function openStore(location: string, options: StoreOptions = {}): Promise<StoreEngine> {
  if (!isPostgresUrl(location)) return SqliteStore.open(location);
  return PostgresStore.open(location, {
    poolSize: options.poolSize ?? 10,
    lockTimeoutMs: options.lockTimeoutMs ?? 2000,
    report: options.report ?? ((message) => console.error(`sandbox: ${message}`)),
  });
}

/** One line for an operator whose store cannot be used: which store, what went wrong, what to do. */
export function describeStoreError(location: string, error: unknown): string {
  if (!isPostgresUrl(location)) return describeSqliteError(location, error);
  const { code = "", message = String(error) } = error as { code?: string; message?: string };
  const advice =
    code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "ETIMEDOUT"
      ? "nothing answers there: start PostgreSQL or fix the host and port in SANDBOX_DB"
      : code === "28P01" || code === "28000"
        ? "the server refused the user or password in SANDBOX_DB"
        : code === "3D000"
          ? "the database does not exist: create it (createdb) or name another in SANDBOX_DB"
          : "check SANDBOX_DB (postgres://user:password@host:port/database)";
  // The message of a pg error never holds the password; the URL is described without it.
  return `cannot use the store ${describePostgresUrl(location)} (${code || "error"}: ${message.split("\n")[0]}): ${advice}`;
}
