// Access tokens: issued bound to an application, tenant and scopes; stored only under their key (issue time and
// hash, credentials.ts tokenKey); looked up through an in-memory cache by that key, so the hot path does no SQL
// once a token has been seen.
//
// The cache evicts by "second chance" (CLOCK) rather than strict LRU: a hit only sets a flag on its entry, and an
// entry whose flag is set when it reaches the front gets one more round instead of going. A strict LRU deletes
// and re-inserts the Map entry on every hit, which V8 handles badly with many entries (~45 µs per hit with 10,000
// tokens cached, 0.6 µs with one); the flag costs the same whatever the cache holds. Tokens still in use stay
// cached, as with an LRU; only the order among the rarely used differs. It holds 131,072 tokens (about 200 bytes
// each with the shared scope Sets, ~26 MiB full): 100,000 live tokens in use stay flat (bench: cost growth).
import { newAccessToken, tokenKey } from "./credentials.ts";
import type { StoreEngine, TokenInsert } from "./store-engine.ts";

export interface TokenRecord {
  clientId: string;
  tenantId: string;
  scopes: ReadonlySet<string>;
  userType: string;
  expiresAt: number;
  revokedAt: number | null;
}

interface TokenRow {
  client_id: string;
  tenant_id: string;
  scopes: string;
  user_type: string;
  expires_at: number;
  revoked_at: number | null;
}

interface PendingToken {
  row: TokenInsert;
  token: string;
  resolve: (token: string) => void;
  reject: (error: unknown) => void;
}

interface CacheEntry {
  readonly record: TokenRecord;
  referenced: boolean;
}

/** How many referenced entries one insertion may move to the back before it evicts regardless (bounds its work). */
const SECOND_CHANCES_PER_INSERT = 16;

export class TokenRepository {
  private readonly cache = new Map<string, CacheEntry>();
  /** One Set per distinct scope string: 100,000 cached tokens of a few apps share a handful of Sets. */
  private readonly scopeSets = new Map<string, ReadonlySet<string>>();
  private pending: PendingToken[] = [];

  constructor(
    private readonly store: StoreEngine,
    private readonly cacheSize = 131_072,
  ) {}

  /**
   * Issues a token, answered once its row is committed. The tokens asked for while the event loop is busy are
   * inserted in one transaction (group commit: on SQLite one WAL append for the group instead of four pages per
   * token; on PostgreSQL one statement). The insert skips the fsync (SQLite synchronous=NORMAL, PostgreSQL
   * synchronous_commit off): kill -9 of the sandbox loses nothing; an OS crash or power loss of the store's host
   * could drop a token issued in its last moments. What such a loss costs: that token answers 401 and the
   * partner's SDK fetches a new one. Nothing else a partner relies on (a redemption, a revocation, a secret) is
   * written on this path; revocations are durable.
   */
  issue(grant: {
    clientId: string;
    tenantId: string;
    scopes: string[];
    ttlSeconds: number;
    now: number;
  }): Promise<string> {
    const token = newAccessToken(grant.now);
    const row: TokenInsert = {
      tokenKey: tokenKey(token),
      clientId: grant.clientId,
      tenantId: grant.tenantId,
      scopes: grant.scopes.join(" "),
      issuedAt: grant.now,
      expiresAt: grant.now + grant.ttlSeconds * 1000,
    };
    return new Promise((resolve, reject) => {
      this.pending.push({ row, token, resolve, reject });
      if (this.pending.length === 1) setImmediate(this.flush);
    });
  }

  private readonly flush = (): void => {
    const batch = this.pending;
    this.pending = [];
    const fail = (error: unknown) => {
      // Busy (the admin CLI holds SQLite's lock): every request of the group is retried by the server, with a new token.
      for (const item of batch) item.reject(error);
    };
    const done = () => {
      for (const item of batch) item.resolve(item.token);
    };
    let inserted: void | Promise<void>;
    try {
      inserted = this.store.insertTokens(batch.map((item) => item.row));
    } catch (error) {
      fail(error);
      return;
    }
    if (inserted instanceof Promise) inserted.then(done, fail);
    else done();
  };

  /** The token's record, or undefined when the platform never issued it. Synchronous when cached. */
  find(token: string): TokenRecord | undefined | Promise<TokenRecord | undefined> {
    const key = tokenKey(token);
    const cached = this.cache.get(key);
    if (cached !== undefined) {
      cached.referenced = true;
      return cached.record;
    }
    return this.store.sql
      .get<TokenRow>(
        "SELECT client_id, tenant_id, scopes, user_type, expires_at, revoked_at FROM tokens WHERE token_hash = ?",
        [key],
      )
      .then((row) => this.remember(key, row));
  }

  private remember(key: string, row: TokenRow | undefined): TokenRecord | undefined {
    if (!row) return undefined;
    const record: TokenRecord = {
      clientId: row.client_id,
      tenantId: row.tenant_id,
      scopes: this.scopeSet(row.scopes),
      userType: row.user_type,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
    if (this.cache.size >= this.cacheSize) this.evictOne();
    this.cache.set(key, { record, referenced: false });
    return record;
  }

  /** Number of tokens cached (tests and benchmarks). */
  get cachedCount(): number {
    return this.cache.size;
  }

  private scopeSet(scopes: string): ReadonlySet<string> {
    let set = this.scopeSets.get(scopes);
    if (set === undefined) {
      set = new Set(scopes.split(" ").filter(Boolean));
      // Bounded: scope strings are subsets of the four scopes, in grant order; a pathological store still stops here.
      if (this.scopeSets.size < 1024) this.scopeSets.set(scopes, set);
    }
    return set;
  }

  /** Drops the oldest entry not used since its last chance (CLOCK); at most a few entries get moved to the back. */
  private evictOne(): void {
    for (let chances = 0; ; chances++) {
      const oldest = this.cache.entries().next().value;
      if (oldest === undefined) return;
      const [key, entry] = oldest;
      this.cache.delete(key);
      if (!entry.referenced || chances >= SECOND_CHANCES_PER_INSERT) return;
      entry.referenced = false;
      this.cache.set(key, entry);
    }
  }

  /** Forgets cached tokens the purge removed from the store (they are expired: refused either way). */
  forget(keys: readonly string[]): void {
    for (const key of keys) this.cache.delete(key);
  }

  /** Revokes a token of this client (RFC 7009: unknown or foreign tokens are silently ignored). */
  async revokeFor(clientId: string, token: string, now: number): Promise<void> {
    const key = tokenKey(token);
    this.cache.delete(key);
    await this.store.sql.run(
      "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND client_id = ? AND revoked_at IS NULL",
      [now, key, clientId],
    );
    // Again after the write: a lookup that raced it may have cached the row as it was before.
    this.cache.delete(key);
  }

  /** Forgets every cached token, after another process changed the store. */
  clearCache(): void {
    this.cache.clear();
  }
}
