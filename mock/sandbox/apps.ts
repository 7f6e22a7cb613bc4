// Partner applications as the admin console holds them: credentials (hashed), tenant, scopes, IP whitelist, QPS.
import { BlockList, isIP } from "node:net";
import { hashSecretSync, newClientSecret } from "./credentials.ts";
import type { Sql } from "./sql.ts";
import { allScopes } from "./store.ts";

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

const unknownApp = (clientId: string): Error =>
  new Error(`no application "${clientId}": list them with \`npm run admin -- list-apps\``);

/** The applications in the store (either engine): the security model reads them, the admin CLI writes them. */
export class AppRepository {
  constructor(private readonly sql: Sql) {}

  async get(clientId: string): Promise<AppRecord | undefined> {
    const row = await this.sql.get<AppRow>("SELECT * FROM apps WHERE client_id = ?", [clientId]);
    return row ? toRecord(row) : undefined;
  }

  async list(): Promise<AppRecord[]> {
    return (await this.sql.all<AppRow>("SELECT * FROM apps ORDER BY created_at, client_id")).map(toRecord);
  }

  /** Creates an application and returns its secret: the only time the secret is ever visible. */
  async create(app: {
    clientId: string;
    name: string;
    tenantId: string;
    scopes: string[];
    now?: number;
  }): Promise<string> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/.test(app.clientId)) {
      throw new Error(`client id "${app.clientId}" must be 3-64 letters, digits, ".", "_" or "-"`);
    }
    if (!/^[1-9][0-9]{0,18}$/.test(app.tenantId))
      throw new Error(`tenant id "${app.tenantId}" must be a positive integer`);
    const secret = newClientSecret();
    const inserted = await this.sql.run(
      `INSERT INTO apps (client_id, name, tenant_id, secret_hash, scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT DO NOTHING`,
      [app.clientId, app.name, app.tenantId, hashSecretSync(secret), app.scopes.join(" "), app.now ?? Date.now()],
    );
    if (inserted.changes === 0) throw new Error(`an application "${app.clientId}" already exists`);
    return secret;
  }

  /** Updates one application; says which clientId is unknown instead of changing nothing in silence. */
  private async update(clientId: string, set: string, value: unknown): Promise<void> {
    const { changes } = await this.sql.run(`UPDATE apps SET ${set} = ? WHERE client_id = ?`, [value, clientId]);
    if (changes === 0) throw unknownApp(clientId);
  }

  setScopes(clientId: string, scopes: string[]): Promise<void> {
    return this.update(clientId, "scopes", scopes.join(" "));
  }

  setWhitelist(clientId: string, ips: string[]): Promise<void> {
    return this.update(clientId, "ip_whitelist", ips.join(","));
  }

  setQps(clientId: string, qps: number): Promise<void> {
    if (!Number.isInteger(qps) || qps < 0 || qps > 1_000_000)
      throw new Error(`QPS must be an integer >= 0 (0 = unlimited), got ${qps}`);
    return this.update(clientId, "qps_limit", qps);
  }

  /** Replaces the secret and revokes every live token of the application, in one transaction. */
  async resetSecret(clientId: string, now = Date.now()): Promise<{ secret: string; revokedTokens: number }> {
    const secret = newClientSecret();
    const hash = hashSecretSync(secret);
    const revokedTokens = await this.sql.transaction(async (tx) => {
      const { changes } = await tx.run("UPDATE apps SET secret_hash = ?, secret_reset_at = ? WHERE client_id = ?", [
        hash,
        now,
        clientId,
      ]);
      if (changes === 0) throw unknownApp(clientId);
      return (
        await tx.run("UPDATE tokens SET revoked_at = ? WHERE client_id = ? AND revoked_at IS NULL AND expires_at > ?", [
          now,
          clientId,
          now,
        ])
      ).changes;
    });
    return { secret, revokedTokens };
  }
}
