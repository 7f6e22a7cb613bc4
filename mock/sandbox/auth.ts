// The platform's security model for one request: bearer tokens on business endpoints, client credentials (HTTP
// Basic) on the token endpoints, then tenant, IP whitelist, scope and QPS. Each check answers the protocol error of
// the spec's error model; the first failing check wins, in the order a gateway would apply them.
import { createHash } from "node:crypto";
import { type AppRecord, AppRepository } from "./apps.ts";
import { decoyHash, verifySecret } from "./credentials.ts";
import { errors, type ProtocolError } from "./envelope.ts";
import { RateLimiter } from "./rate-limit.ts";
import { type Db, externalChangeWatcher } from "./store.ts";
import { TokenRepository } from "./tokens.ts";

/** Who is calling, once every check passed. */
export interface Caller {
  app: AppRecord;
  tenantId: string;
  /** The token's scopes (business endpoints) or the application's grants (token endpoints). */
  scopes: ReadonlySet<string>;
  clientIp: string;
}

export interface RequestFacts {
  authorization: string | undefined;
  tenantId: string | string[] | undefined;
  /** The TCP peer address (X-Forwarded-For is not trusted: the sandbox is not behind a proxy). */
  remoteAddress: string | undefined;
  now: number;
}

const tenantPattern = /^[1-9][0-9]{0,18}$/;

export const isProtocolError = (value: Caller | ProtocolError): value is ProtocolError => "status" in value;

function normaliseIp(address: string | undefined): string {
  if (!address) return "unknown";
  return address.startsWith("::ffff:") ? address.slice(7) : address;
}

export class SecurityModel {
  readonly apps: AppRepository;
  readonly tokens: TokenRepository;
  private readonly limiter = new RateLimiter();
  private readonly appCache = new Map<string, AppRecord | null>();
  /** Keys of (clientId, secret, stored hash) triples already verified: scrypt runs once per secret, not per call. */
  private readonly verified = new Set<string>();
  private readonly storeChanged: () => boolean;

  constructor(db: Db) {
    this.apps = new AppRepository(db);
    this.tokens = new TokenRepository(db);
    this.storeChanged = externalChangeWatcher(db);
  }

  /** Drops the caches when another process (the admin CLI) changed the store since the last request. */
  private sync(): void {
    if (this.storeChanged()) {
      this.appCache.clear();
      this.tokens.clearCache();
    }
  }

  private app(clientId: string): AppRecord | undefined {
    let app = this.appCache.get(clientId);
    if (app === undefined) {
      app = this.apps.get(clientId) ?? null;
      this.appCache.set(clientId, app);
    }
    return app ?? undefined;
  }

  private tenant(header: string | string[] | undefined): string | ProtocolError {
    if (header === undefined || header === "") return errors.tenantMissing();
    if (typeof header !== "string" || !tenantPattern.test(header)) return errors.tenantMalformed();
    return header;
  }

  private limits(app: AppRecord, ip: string, now: number): ProtocolError | undefined {
    if (app.ipWhitelist.size > 0 && !app.ipWhitelist.has(ip)) return errors.ipNotWhitelisted(ip);
    const retryAfter = this.limiter.take(app.clientId, app.qpsLimit, now);
    if (retryAfter > 0) return errors.rateLimited(app.qpsLimit, retryAfter);
    return undefined;
  }

  /** Business endpoints: Bearer token, then tenant, IP whitelist, scope and QPS. */
  authorizeBearer(request: RequestFacts, scope: string): Caller | ProtocolError {
    this.sync();
    const header = request.authorization;
    if (header === undefined || header === "") return errors.tokenMissing();
    if (header.length < 8 || header.slice(0, 7).toLowerCase() !== "bearer ") return errors.notBearer();
    const token = header.slice(7).trim();
    if (token === "" || token.length > 512) return errors.tokenInvalid();
    const record = this.tokens.find(token);
    if (!record) return errors.tokenInvalid();
    if (record.revokedAt !== null) return errors.tokenRevoked();
    if (record.expiresAt <= request.now) return errors.tokenExpired();
    const app = this.app(record.clientId);
    if (!app || record.userType !== "OPEN_API") return errors.tokenInvalid();
    const tenantId = this.tenant(request.tenantId);
    if (typeof tenantId !== "string") return tenantId;
    if (tenantId !== record.tenantId) return errors.tokenTenantMismatch(tenantId);
    const clientIp = normaliseIp(request.remoteAddress);
    if (app.ipWhitelist.size > 0 && !app.ipWhitelist.has(clientIp)) return errors.ipNotWhitelisted(clientIp);
    // A grant withdrawn by operations takes effect at once, even for tokens issued before.
    if (!record.scopes.has(scope) || !app.scopes.has(scope)) return errors.insufficientScope(scope);
    const retryAfter = this.limiter.take(app.clientId, app.qpsLimit, request.now);
    if (retryAfter > 0) return errors.rateLimited(app.qpsLimit, retryAfter);
    return { app, tenantId, scopes: record.scopes, clientIp };
  }

  /** Token endpoints: HTTP Basic client credentials, then tenant, IP whitelist and QPS. */
  async authenticateClient(request: RequestFacts): Promise<Caller | ProtocolError> {
    this.sync();
    const header = request.authorization;
    if (header === undefined || header === "" || header.slice(0, 6).toLowerCase() !== "basic ") {
      return errors.clientAuthMissing();
    }
    const decoded = Buffer.from(header.slice(6).trim(), "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon <= 0 || decoded.length > 1024) return errors.clientAuthFailed();
    const clientId = decoded.slice(0, colon);
    const secret = decoded.slice(colon + 1);
    const app = this.app(clientId);
    if (!app) {
      // Same cost as a real check, so the answer time does not tell which client IDs exist.
      await verifySecret(secret, decoyHash);
      return errors.clientAuthFailed();
    }
    const key = createHash("sha256").update(`${clientId}\0${secret}\0${app.secretHash}`).digest("base64url");
    if (!this.verified.has(key)) {
      if (!(await verifySecret(secret, app.secretHash))) return errors.clientAuthFailed();
      if (this.verified.size > 10_000) this.verified.clear();
      this.verified.add(key);
    }
    const tenantId = this.tenant(request.tenantId);
    if (typeof tenantId !== "string") return tenantId;
    if (tenantId !== app.tenantId) return errors.clientTenantMismatch(tenantId);
    const clientIp = normaliseIp(request.remoteAddress);
    const limited = this.limits(app, clientIp, request.now);
    if (limited) return limited;
    return { app, tenantId, scopes: app.scopes, clientIp };
  }
}
