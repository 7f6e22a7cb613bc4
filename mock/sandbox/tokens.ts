// Access tokens: issued bound to an application, tenant and scopes; stored only as hashes; looked up through an
// in-memory LRU keyed by the hash, so the hot path does no SQL once a token has been seen.
import { newAccessToken, tokenHash } from "./credentials.ts";
import type { Db } from "./store.ts";

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

export class TokenRepository {
  private readonly cache = new Map<string, TokenRecord>();
  private readonly lookup;
  private readonly insert;
  private readonly revoke;

  constructor(
    db: Db,
    private readonly cacheSize = 10_000,
  ) {
    this.lookup = db.prepare<[string], TokenRow>(
      "SELECT client_id, tenant_id, scopes, user_type, expires_at, revoked_at FROM tokens WHERE token_hash = ?",
    );
    this.insert = db.prepare(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
    );
    this.revoke = db.prepare(
      "UPDATE tokens SET revoked_at = ? WHERE token_hash = ? AND client_id = ? AND revoked_at IS NULL",
    );
  }

  issue(grant: { clientId: string; tenantId: string; scopes: string[]; ttlSeconds: number; now: number }): string {
    const token = newAccessToken();
    this.insert.run(
      tokenHash(token),
      grant.clientId,
      grant.tenantId,
      grant.scopes.join(" "),
      grant.now,
      grant.now + grant.ttlSeconds * 1000,
    );
    return token;
  }

  /** The token's record, or undefined when the platform never issued it. */
  find(token: string): TokenRecord | undefined {
    const key = tokenHash(token);
    const cached = this.cache.get(key);
    if (cached) {
      // Refresh its place in the LRU order.
      this.cache.delete(key);
      this.cache.set(key, cached);
      return cached;
    }
    const row = this.lookup.get(key);
    if (!row) return undefined;
    const record: TokenRecord = {
      clientId: row.client_id,
      tenantId: row.tenant_id,
      scopes: new Set(row.scopes.split(" ").filter(Boolean)),
      userType: row.user_type,
      expiresAt: row.expires_at,
      revokedAt: row.revoked_at,
    };
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(key, record);
    return record;
  }

  /** Revokes a token of this client (RFC 7009: unknown or foreign tokens are silently ignored). */
  revokeFor(clientId: string, token: string, now: number): void {
    const key = tokenHash(token);
    this.revoke.run(now, key, clientId);
    this.cache.delete(key);
  }

  /** Forgets every cached token, after another process changed the store. */
  clearCache(): void {
    this.cache.clear();
  }
}
