// One access token per client, refreshed ahead of expiry, with at most one refresh in flight.

export interface IssuedToken {
  accessToken: string;
  /** The token's lifetime in seconds, as the platform's `expires_in`. */
  expiresInSeconds: number;
}

interface CachedToken {
  accessToken: string;
  expiresAtMs: number;
  /** When to start refreshing: `expiresAtMs` minus the refresh buffer. */
  refreshAtMs: number;
}

export class TokenCache {
  private current: CachedToken | undefined;
  private refreshing: Promise<CachedToken> | undefined;

  constructor(
    private readonly issue: () => Promise<IssuedToken>,
    private readonly refreshBufferMs: number,
    private readonly now: () => number,
  ) {}

  /** The cached token when it is not due for refresh, without a promise (the transport's common case). */
  fresh(): string | undefined {
    const current = this.current;
    return current !== undefined && this.now() < current.refreshAtMs ? current.accessToken : undefined;
  }

  /**
   * A token that is valid now. Concurrent callers on a cold or expiring cache share a single refresh, so any
   * number of them cause exactly one token request.
   */
  async get(): Promise<string> {
    const current = this.current;
    const now = this.now();
    if (current !== undefined && now < current.refreshAtMs) return current.accessToken;
    try {
      return (await this.refresh()).accessToken;
    } catch (error) {
      // A failed refresh ahead of expiry is not fatal: the old token still works until it expires.
      if (current !== undefined && this.current === current && this.now() < current.expiresAtMs) {
        return current.accessToken;
      }
      throw error;
    }
  }

  /** Drops `token` after the platform refused it, unless a newer token has already replaced it. */
  invalidate(token: string): void {
    if (this.current?.accessToken === token) this.current = undefined;
  }

  /** The cached token, if any, without refreshing (for revocation). */
  peek(): string | undefined {
    return this.current?.accessToken;
  }

  clear(): void {
    this.current = undefined;
  }

  private refresh(): Promise<CachedToken> {
    this.refreshing ??= this.issue()
      .then((issued) => {
        const issuedAt = this.now();
        const lifetimeMs = issued.expiresInSeconds * 1000;
        // With a lifetime shorter than twice the buffer, refreshing at half-life avoids a token request per call.
        const bufferMs = Math.min(this.refreshBufferMs, lifetimeMs / 2);
        const token: CachedToken = {
          accessToken: issued.accessToken,
          expiresAtMs: issuedAt + lifetimeMs,
          refreshAtMs: issuedAt + lifetimeMs - bufferMs,
        };
        this.current = token;
        return token;
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }
}
