// Partner applications as the admin console holds them: credentials (hashed), tenant, scopes, IP whitelist, QPS.
import { BlockList, isIP } from "node:net";
import { hashSecretSync, newClientSecret } from "./credentials.ts";
import { allScopes, type Db } from "./store.ts";

export interface AppRecord {
  clientId: string;
  name: string;
  tenantId: string;
  secretHash: string;
  scopes: ReadonlySet<string>;
  /** Empty: any source IP may call. */
  ipWhitelist: IpWhitelist;
  /** Requests per second; 0 = unlimited. */
  qpsLimit: number;
  createdAt: number;
}

interface AppRow {
  client_id: string;
  name: string;
  tenant_id: string;
  secret_hash: string;
  scopes: string;
  ip_whitelist: string;
  qps_limit: number;
  created_at: number;
}

const toRecord = (row: AppRow): AppRecord => ({
  clientId: row.client_id,
  name: row.name,
  tenantId: row.tenant_id,
  secretHash: row.secret_hash,
  scopes: new Set(row.scopes.split(" ").filter(Boolean)),
  ipWhitelist: ipWhitelist(row.ip_whitelist.split(",").filter(Boolean)),
  qpsLimit: row.qps_limit,
  createdAt: row.created_at,
});

export const knownScopes: ReadonlySet<string> = new Set(allScopes);

/** Checks a list of scopes against the spec's four; throws a message naming the unknown one. */
export function parseScopes(list: string): string[] {
  const scopes = [...new Set(list.split(/[\s,]+/).filter(Boolean))];
  for (const scope of scopes) {
    if (!knownScopes.has(scope)) throw new Error(`unknown scope "${scope}": use ${allScopes.join(", ")}`);
  }
  return scopes;
}

/** An application's IP whitelist: addresses and CIDR ranges, IPv4 and IPv6; empty = any IP may call. */
export interface IpWhitelist {
  readonly entries: readonly string[];
  allows(ip: string): boolean;
}

/** Builds the matcher once per application record (node:net BlockList), so a request pays one lookup. */
export function ipWhitelist(entries: readonly string[]): IpWhitelist {
  if (entries.length === 0) return { entries, allows: () => true };
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", prefix] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (prefix === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(prefix), family);
  }
  return {
    entries,
    allows: (ip) => {
      const family = isIP(ip);
      return family !== 0 && list.check(ip, family === 6 ? "ipv6" : "ipv4");
    },
  };
}

/**
 * Checks an IP whitelist: comma-separated IPv4/IPv6 addresses or CIDR ranges (node:net isIP; empty = no
 * restriction). Refuses what could never match a caller (999.1.1.1, cafe, :::::, 10.0.0.0/33), so a typo cannot
 * silently lock an application out.
 */
export function parseWhitelist(list: string): string[] {
  const entries = [...new Set(list.split(/[\s,]+/).filter(Boolean))];
  for (const entry of entries) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    const maxPrefix = family === 6 ? 128 : 32;
    const validPrefix =
      prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= maxPrefix && extra === undefined);
    if (family === 0 || !validPrefix) {
      throw new Error(
        `"${entry}" is not an IP address or CIDR range: give comma-separated entries like 203.0.113.9,10.0.0.0/8,2001:db8::/32`,
      );
    }
  }
  return entries;
}

export class AppRepository {
  private readonly byId;
  private readonly all;
  constructor(private readonly db: Db) {
    this.byId = db.prepare<[string], AppRow>("SELECT * FROM apps WHERE client_id = ?");
    this.all = db.prepare<[], AppRow>("SELECT * FROM apps ORDER BY created_at, client_id");
  }

  get(clientId: string): AppRecord | undefined {
    const row = this.byId.get(clientId);
    return row ? toRecord(row) : undefined;
  }

  list(): AppRecord[] {
    return this.all.all().map(toRecord);
  }

  /** Creates an application and returns its secret: the only time the secret is ever visible. */
  create(app: { clientId: string; name: string; tenantId: string; scopes: string[]; now?: number }): string {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(app.clientId)) {
      throw new Error(`client id "${app.clientId}" must be 3-64 letters, digits, ".", "_" or "-"`);
    }
    if (!/^[1-9][0-9]{0,18}$/.test(app.tenantId))
      throw new Error(`tenant id "${app.tenantId}" must be a positive integer`);
    if (this.get(app.clientId)) throw new Error(`an application "${app.clientId}" already exists`);
    const secret = newClientSecret();
    this.db
      .prepare(
        "INSERT INTO apps (client_id, name, tenant_id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
      )
      .run(app.clientId, app.name, app.tenantId, hashSecretSync(secret), app.scopes.join(" "), app.now ?? Date.now());
    return secret;
  }

  private require(clientId: string): AppRecord {
    const app = this.get(clientId);
    if (!app) throw new Error(`no application "${clientId}": list them with \`npm run admin -- list-apps\``);
    return app;
  }

  setScopes(clientId: string, scopes: string[]): void {
    this.require(clientId);
    this.db.prepare("UPDATE apps SET scopes = ? WHERE client_id = ?").run(scopes.join(" "), clientId);
  }

  setWhitelist(clientId: string, ips: string[]): void {
    this.require(clientId);
    this.db.prepare("UPDATE apps SET ip_whitelist = ? WHERE client_id = ?").run(ips.join(","), clientId);
  }

  setQps(clientId: string, qps: number): void {
    if (!Number.isInteger(qps) || qps < 0 || qps > 1_000_000)
      throw new Error(`QPS must be an integer >= 0 (0 = unlimited), got ${qps}`);
    this.require(clientId);
    this.db.prepare("UPDATE apps SET qps_limit = ? WHERE client_id = ?").run(qps, clientId);
  }

  /** Replaces the secret and revokes every live token of the application, in one transaction. */
  resetSecret(clientId: string, now = Date.now()): { secret: string; revokedTokens: number } {
    this.require(clientId);
    const secret = newClientSecret();
    const hash = hashSecretSync(secret);
    const run = this.db.transaction(() => {
      this.db
        .prepare("UPDATE apps SET secret_hash = ?, secret_reset_at = ? WHERE client_id = ?")
        .run(hash, now, clientId);
      return this.db
        .prepare("UPDATE tokens SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL AND expires_at > ?")
        .run(now, clientId, now).changes;
    });
    return { secret, revokedTokens: run() };
  }
}
