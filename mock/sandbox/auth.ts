// The platform's security model for one request: bearer tokens on business endpoints, client credentials (HTTP
// Basic) on the token endpoints, then tenant, IP whitelist, scope and QPS. Each check answers the protocol error of
// the spec's error model; the first failing check wins, in the order a gateway would apply them.
//
// When the checks happen: `authorizeBearer` / `authenticateClient` run when the headers arrive (onRequest), so a
// request with bad credentials is refused before its body is read. `confirm` runs when the request is served
// (body read, just before the handler acts): it counts the request against the QPS limit and judges it again
// if anything that decides access changed in between. "Anything" is one counter, `generation`, bumped when
// the store's change feed reports a change made elsewhere (the admin CLI: reset-secret, grant-scopes,
// set-whitelist, ...; on PostgreSQL also another instance) or this process revoked a token. On the hot path that
// is one integer comparison and the expiry check; a request whose facts changed in flight is judged from scratch,
// so reset and revocation take effect for requests already in flight.
//
// Every check is synchronous while what it needs is cached (the hot path); a cache miss reads the store and the
// check answers a promise.
import { hash } from "node:crypto";
import { type AppRecord, AppRepository } from "./apps.ts";
import { BoundedMap } from "./bounded-map.ts";
import { decoyHash, verifySecret } from "./credentials.ts";
import { errors, type ProtocolError } from "./envelope.ts";
import { LoginGuard } from "./login-guard.ts";
import type { StoreEngine } from "./store-engine.ts";
import { type TokenRecord, TokenRepository } from "./tokens.ts";

type Maybe<T> = T | Promise<T>;
type Verdict = Caller | ProtocolError;

/** Who is calling, once every check passed. */
export interface Caller {
  app: AppRecord;
  tenantId: string;
  /** The token's scopes (business endpoints) or the application's grants (token endpoints). */
  scopes: ReadonlySet<string>;
  clientIp: string;
  /** The security generation the checks saw: `confirm` judges again when it moved. */
  generation: number;
  /** When the credential stops being valid (token expiry; Infinity for client credentials). */
  expiresAt: number;
  scheme: "bearer" | "basic";
}

export interface RequestFacts {
  authorization: string | undefined;
  tenantId: string | string[] | undefined;
  /** The client's address: the TCP peer, or behind trusted proxies what they forwarded (client-address.ts). */
  remoteAddress: string | undefined;
  now: number;
}

const tenantPattern = /^[1-9][0-9]{0,18}$/;

export const isProtocolError = (value: Caller | ProtocolError): value is ProtocolError => "status" in value;

export function normaliseIp(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

/** The clientId and secret of a Basic header (undefined when it is not `id:secret` in base64). */
function decodeBasic(header: string): { clientId: string; secret: string } | undefined {
  const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon <= 0 || decoded.length > 1024) return undefined;
  return { clientId: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

export class SecurityModel {
  readonly apps: AppRepository;
  readonly tokens: TokenRepository;
  readonly logins = new LoginGuard();
  /** Known applications only: an unknown clientId is looked up again (one indexed SELECT), never cached. */
  private readonly appCache = new Map<string, AppRecord>();
  /** Keys of (clientId, secret, stored hash) triples already verified: scrypt runs once per secret, not per call. */
  private readonly verified = new BoundedMap<string, true>(10_000, 3_600_000);
  private generation = 0;

  constructor(private readonly store: StoreEngine) {
    this.apps = new AppRepository(store.sql);
    this.tokens = new TokenRepository(store);
  }

  /** Drops what the change feed says changed elsewhere, and moves the generation. */
  private sync(): void {
    const change = this.store.changes.take();
    if (change === null) return;
    if (change.all) {
      this.appCache.clear();
      this.tokens.clearCache();
    } else {
      this.tokens.forget(change.tokens);
    }
    this.generation += 1;
  }

  /** Revokes a token of this client; requests in flight that hold it are judged again when served. */
  async revoke(clientId: string, token: string, now: number): Promise<void> {
    this.generation += 1;
    await this.tokens.revokeFor(clientId, token, now);
    this.generation += 1;
  }

  private app(clientId: string): Maybe<AppRecord | undefined> {
    const app = this.appCache.get(clientId);
    if (app !== undefined) return app;
    const generation = this.generation;
    return this.apps.get(clientId).then((found) => {
      // Cached only if nothing changed while it was read (else the next request reads it again).
      if (found && generation === this.generation) this.appCache.set(clientId, found);
      return found;
    });
  }

  private tenant(header: string | string[] | undefined): string | ProtocolError {
    if (header === undefined || header === "") return errors.tenantMissing();
    if (typeof header !== "string" || !tenantPattern.test(header)) return errors.tenantMalformed();
    return header;
  }

  /**
   * A refusal is answered only on current facts: where the caches may not know yet what another instance changed
   * (PostgreSQL), a refusal that a change could turn into an acceptance is judged again after the store was asked:
   * a whitelist widened or a scope granted (403), or a secret checked against the cached hash of a known
   * application (401: it may have been reset a moment ago). Other refusals rest on the request itself or on fresh
   * reads (an unknown token or clientId is never cached). An acceptance is confirmed when served (`confirm`).
   */
  private refuseOnCurrentFacts(judge: () => Maybe<Verdict>): Maybe<Verdict> {
    const first = judge();
    const sync = this.store.changes.sync?.bind(this.store.changes);
    if (sync === undefined) return first;
    const recheck = (verdict: Verdict): Maybe<Verdict> =>
      isProtocolError(verdict) && this.couldChange(verdict) ? sync().then(judge) : verdict;
    return first instanceof Promise ? first.then(recheck) : recheck(first);
  }

  private couldChange(refusal: ProtocolError): boolean {
    if (refusal.status === 403) return true;
    return refusal.status === 401 && refusal.clientId !== undefined && this.appCache.has(refusal.clientId);
  }

  /** Business endpoints: Bearer token, then tenant, IP whitelist and scope (QPS is counted by `confirm`). */
  authorizeBearer(request: RequestFacts, scope: string): Maybe<Verdict> {
    return this.refuseOnCurrentFacts(() => this.judgeBearer(request, scope));
  }

  private judgeBearer(request: RequestFacts, scope: string): Maybe<Verdict> {
    this.sync();
    const generation = this.generation;
    const header = request.authorization;
    if (header === undefined || header === "") return errors.tokenMissing();
    if (header.length < 8 || header.slice(0, 7).toLowerCase() !== "bearer ") return errors.notBearer();
    const token = header.slice(7).trim();
    if (token === "" || token.length > 512) return errors.tokenInvalid();
    const record = this.tokens.find(token);
    if (record instanceof Promise) {
      return record.then((found) => this.bearerWithRecord(found, request, scope, generation));
    }
    return this.bearerWithRecord(record, request, scope, generation);
  }

  private bearerWithRecord(
    record: TokenRecord | undefined,
    request: RequestFacts,
    scope: string,
    generation: number,
  ): Maybe<Verdict> {
    if (!record) return errors.tokenInvalid();
    if (record.revokedAt !== null) return errors.tokenRevoked();
    if (record.expiresAt <= request.now) return errors.tokenExpired();
    const app = this.app(record.clientId);
    if (app instanceof Promise)
      return app.then((found) => this.bearerWithApp(found, record, request, scope, generation));
    return this.bearerWithApp(app, record, request, scope, generation);
  }

  private bearerWithApp(
    app: AppRecord | undefined,
    record: TokenRecord,
    request: RequestFacts,
    scope: string,
    generation: number,
  ): Verdict {
    if (!app || record.userType !== "OPEN_API") return errors.tokenInvalid();
    const tenantId = this.tenant(request.tenantId);
    if (typeof tenantId !== "string") return tenantId;
    if (tenantId !== record.tenantId) return errors.tokenTenantMismatch(tenantId);
    const clientIp = normaliseIp(request.remoteAddress);
    if (!app.ipWhitelist.allows(clientIp)) return errors.ipNotWhitelisted(clientIp);
    // A grant withdrawn by operations takes effect at once, even for tokens issued before.
    if (!record.scopes.has(scope) || !app.scopes.has(scope)) return errors.insufficientScope(scope);
    return {
      app,
      tenantId,
      scopes: record.scopes,
      clientIp,
      generation,
      expiresAt: record.expiresAt,
      scheme: "bearer",
    };
  }

  /**
   * Token endpoints: HTTP Basic client credentials (through the login guard: negative cache, throttling, bounded
   * verification queue), then tenant and IP whitelist (QPS is counted by `confirm`).
   */
  async authenticateClient(request: RequestFacts): Promise<Caller | ProtocolError> {
    return this.refuseOnCurrentFacts(() => this.judgeClient(request));
  }

  private async judgeClient(request: RequestFacts): Promise<Caller | ProtocolError> {
    this.sync();
    const generation = this.generation;
    const header = request.authorization;
    if (header === undefined || header === "" || header.slice(0, 6).toLowerCase() !== "basic ") {
      return errors.clientAuthMissing();
    }
    const credentials = decodeBasic(header);
    if (!credentials) return errors.clientAuthFailed();
    const { clientId, secret } = credentials;
    const failed = (error: ProtocolError = errors.clientAuthFailed()): ProtocolError => ({ ...error, clientId });
    const app = await this.app(clientId);
    // Unknown clientIds are checked against a decoy hash: the same cost as a real check, so the answer time
    // does not tell which client IDs exist.
    const stored = app?.secretHash ?? decoyHash;
    const key = hash("sha256", `${clientId}\0${secret}\0${stored}`, "base64url");
    if (!app || this.verified.get(key, request.now) === undefined) {
      if (this.logins.isKnownBad(key, request.now)) return failed();
      const clientIp = normaliseIp(request.remoteAddress);
      const lane = this.logins.lane(clientId, app !== undefined, request.now);
      const throttled = this.logins.throttle(clientId, lane, clientIp, request.now);
      if (throttled) return failed(throttled);
      const verdict = this.logins.verify(clientId, lane, () => verifySecret(secret, stored));
      if (!(verdict instanceof Promise)) return failed(verdict);
      if (!(await verdict) || !app) {
        this.logins.failed(clientId, clientIp, key, Date.now());
        return failed();
      }
      this.verified.set(key, true, Date.now());
    }
    const tenantId = this.tenant(request.tenantId);
    if (typeof tenantId !== "string") return tenantId;
    if (tenantId !== app.tenantId) return errors.clientTenantMismatch(tenantId);
    const clientIp = normaliseIp(request.remoteAddress);
    if (!app.ipWhitelist.allows(clientIp)) return errors.ipNotWhitelisted(clientIp);
    return {
      app,
      tenantId,
      scopes: app.scopes,
      clientIp,
      generation,
      expiresAt: Number.POSITIVE_INFINITY,
      scheme: "basic",
    };
  }

  /**
   * The judgment when the request is served (its body read): the same checks again if anything that decides
   * access changed since they ran, the expiry at this instant, then the QPS limit, counted now.
   */
  confirm(caller: Caller, request: RequestFacts, scope: string, countRate = true): Maybe<Verdict> {
    // PostgreSQL: first learn what other instances changed before this request was served (change-feed.ts).
    const synced = this.store.changes.sync?.();
    if (synced !== undefined) return synced.then(() => this.confirmNow(caller, request, scope, countRate));
    return this.confirmNow(caller, request, scope, countRate);
  }

  private confirmNow(caller: Caller, request: RequestFacts, scope: string, countRate: boolean): Maybe<Verdict> {
    this.sync();
    if (caller.generation !== this.generation) {
      // The store was just asked (confirm): judged on current facts directly, without a second read.
      const again = caller.scheme === "bearer" ? this.judgeBearer(request, scope) : this.judgeClient(request);
      if (again instanceof Promise) return again.then((verdict) => this.admit(verdict, request.now, countRate));
      return this.admit(again, request.now, countRate);
    }
    if (caller.expiresAt <= request.now) return errors.tokenExpired();
    return this.admit(caller, request.now, countRate);
  }

  /**
   * The QPS limit, a fixed one-second window per application as the platform counts "requests per second". The
   * count is the store's (per process on SQLite, shared by every instance on PostgreSQL); applications without a
   * limit (the default) are not counted at all.
   */
  private admit(caller: Verdict, now: number, countRate: boolean): Maybe<Verdict> {
    if (isProtocolError(caller) || !countRate || caller.app.qpsLimit <= 0) return caller;
    const limit = caller.app.qpsLimit;
    const judge = (count: number): Verdict => (count > limit ? errors.rateLimited(limit, 1) : caller);
    const counted = this.store.countRequest(caller.app.clientId, Math.floor(now / 1000));
    return counted instanceof Promise ? counted.then(judge) : judge(counted);
  }
}
