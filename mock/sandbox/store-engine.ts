// The sandbox store, whichever engine holds it: SQLite (a file or :memory:, the default, one machine) or
// PostgreSQL (SANDBOX_DB=postgres://..., several instances on several machines acting as one). Everything that
// is not on a request's hot path goes through `sql` (one SQL text for both engines, sql.ts); what is, has an
// implementation per engine behind the methods below, each saying what it guarantees.
import type { RedeemContext } from "./domain-port.ts";
import type { BusinessResult, RequestBody, SuccessData } from "./operation-types.ts";
import type { Sql } from "./sql.ts";

export interface TokenInsert {
  tokenKey: string;
  clientId: string;
  tenantId: string;
  scopes: string;
  issuedAt: number;
  expiresAt: number;
}

export type RedeemAnswer = BusinessResult<SuccessData<"redeemCouponCode">>;

export interface Redeemer {
  /** One redemption, answered once it is durable (or refused with a business error, leaving nothing behind). */
  redeem(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): Promise<RedeemAnswer>;
}

/** What another process changed, as far as this one must forget cached security facts. */
export interface ChangeFeed {
  /**
   * Called before every security decision. `all`: anything may have changed (drop every cached application and
   * token); `tokens`: these token hashes were revoked elsewhere. Null: nothing changed since the last call.
   */
  take(): { all: boolean; tokens: readonly string[] } | null;
  /**
   * When `take` alone cannot see every change committed before a request arrived (PostgreSQL: the changes of
   * other instances), resolves once it can: called before a request is served. Absent for SQLite, whose `take`
   * reads the file's own change counter.
   */
  sync?(): Promise<void>;
}

export interface StoreEngine {
  readonly kind: "sqlite" | "postgres";
  /** For the banner and logs: the file, or host, port and database (never a password). */
  readonly label: string;
  readonly sql: Sql;
  /** Commits a group of issued tokens (the caller groups them: tokens.ts). */
  insertTokens(rows: readonly TokenInsert[]): void | Promise<void>;
  /** Counts one request of `clientId` in `second` and returns the count so far: the QPS limit's window. */
  countRequest(clientId: string, second: number): number | Promise<number>;
  readonly changes: ChangeFeed;
  /** The redemption path (group commit on SQLite, a transaction per redemption on PostgreSQL). */
  redeemer(): Redeemer;
  /** Runs a purge batch with the durability the purge needs (none beyond a crash of this process). */
  purgeBatch<T>(work: (sql: Sql) => Promise<T>): Promise<T>;
  /** Whether an error means "the store is busy elsewhere, try again soon" (answered 429 + Retry-After). */
  isBusy(error: unknown): boolean;
  /**
   * Called once the start-up writes (migrations, seeds, the first purge) are done, before serving. `report` hears
   * of background trouble the operator should know about.
   */
  startServing(report?: (message: string) => void): void;
  close(): Promise<void>;
}

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);
