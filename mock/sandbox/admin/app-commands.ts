// Admin commands for partner applications: create (secret shown once), list, grant scopes, IP whitelist, QPS,
// reset secret. They write the store directly; a running sandbox notices the change on its next request.
import { AppRepository, parseScopes, parseWhitelist } from "../apps.ts";
import { parseCommandArgs, requirePositional, tenantOption } from "./args.ts";
import type { AdminCommand } from "./registry.ts";

const createApp: AdminCommand = {
  name: "create-app",
  usage: "create-app <clientId> --tenant <tenantId> --scopes <scope,scope> [--name <name>]",
  summary: "Creates a partner application and prints its secret (shown only this once).",
  async run(args, { sql, out, now }) {
    const parsed = parseCommandArgs(
      args,
      { positionals: 1, options: { tenant: { type: "string" }, scopes: { type: "string" }, name: { type: "string" } } },
      this.usage,
    );
    const clientId = requirePositional(parsed, 0, "the clientId", this.usage);
    const tenantId = tenantOption(parsed, this.usage);
    const scopes = parseScopes(parsed.options.get("scopes") ?? "");
    if (scopes.length === 0) throw new Error(`--scopes is required: ${this.usage}`);
    const name = parsed.options.get("name") || clientId;
    const secret = await new AppRepository(sql).create({ clientId, name, tenantId, scopes, now: now().getTime() });
    out(`created application ${clientId} (tenant ${tenantId}, scopes: ${scopes.join(" ")})`);
    out(`clientSecret: ${secret}`);
    out("Store the secret now: it is kept only as a hash and cannot be shown again (reset-secret issues a new one).");
  },
};

const listApps: AdminCommand = {
  name: "list-apps",
  usage: "list-apps [--json]",
  summary: "Lists the applications: tenant, scopes, IP whitelist, QPS limit (never secrets).",
  async run(args, { sql, out }) {
    const apps = (await new AppRepository(sql).list()).map((app) => ({
      clientId: app.clientId,
      name: app.name,
      tenantId: app.tenantId,
      scopes: [...app.scopes],
      ipWhitelist: [...app.ipWhitelist.entries],
      qpsLimit: app.qpsLimit,
      createdAt: new Date(app.createdAt).toISOString(),
    }));
    const parsed = parseCommandArgs(args, { options: { json: { type: "boolean" } } }, this.usage);
    if (parsed.options.has("json")) return out(JSON.stringify(apps, null, 2));
    for (const app of apps) {
      out(
        `${app.clientId}  tenant ${app.tenantId}  qps ${app.qpsLimit || "unlimited"}  whitelist ${app.ipWhitelist.join(",") || "(any IP)"}  scopes ${app.scopes.join(" ")}`,
      );
    }
  },
};

const grantScopes: AdminCommand = {
  name: "grant-scopes",
  usage: "grant-scopes <clientId> <scope,scope|none>",
  summary: "Sets the scopes granted to an application (replaces the list; withdrawn scopes stop working at once).",
  async run(args, { sql, out }) {
    const parsed = parseCommandArgs(args, { positionals: 2 }, this.usage);
    const clientId = requirePositional(parsed, 0, "the clientId", this.usage);
    const list = requirePositional(parsed, 1, "the scope list", this.usage);
    const scopes = list === "none" ? [] : parseScopes(list);
    await new AppRepository(sql).setScopes(clientId, scopes);
    out(`${clientId} scopes: ${scopes.join(" ") || "(none)"}`);
  },
};

const setWhitelist: AdminCommand = {
  name: "set-whitelist",
  usage: "set-whitelist <clientId> <ip|cidr,...|none>",
  summary: "Sets the IP whitelist of an application: IPv4/IPv6 addresses and CIDR ranges (none = any IP may call).",
  async run(args, { sql, out }) {
    const parsed = parseCommandArgs(args, { positionals: 2 }, this.usage);
    const clientId = requirePositional(parsed, 0, "the clientId", this.usage);
    const list = requirePositional(parsed, 1, "the IP list", this.usage);
    const ips = list === "none" ? [] : parseWhitelist(list);
    await new AppRepository(sql).setWhitelist(clientId, ips);
    out(`${clientId} IP whitelist: ${ips.join(",") || "(any IP)"}`);
  },
};

const setQps: AdminCommand = {
  name: "set-qps",
  usage: "set-qps <clientId> <requestsPerSecond|0>",
  summary: "Sets the QPS limit of an application (0 = unlimited).",
  async run(args, { sql, out }) {
    const parsed = parseCommandArgs(args, { positionals: 2 }, this.usage);
    const clientId = requirePositional(parsed, 0, "the clientId", this.usage);
    const raw = requirePositional(parsed, 1, "the QPS", this.usage);
    const qps = Number(raw);
    if (!/^\d+$/.test(raw)) throw new Error(`QPS must be a whole number >= 0 (0 = unlimited), got "${raw}"`);
    await new AppRepository(sql).setQps(clientId, qps);
    out(`${clientId} QPS limit: ${qps || "unlimited"}`);
  },
};

const resetSecret: AdminCommand = {
  name: "reset-secret",
  usage: "reset-secret <clientId>",
  summary: "Issues a new secret (shown once); the old secret and every token issued with it stop working at once.",
  async run(args, { sql, out, now }) {
    const parsed = parseCommandArgs(args, { positionals: 1 }, this.usage);
    const clientId = requirePositional(parsed, 0, "the clientId", this.usage);
    const { secret, revokedTokens } = await new AppRepository(sql).resetSecret(clientId, now().getTime());
    out(`reset the secret of ${clientId}; revoked ${revokedTokens} live token(s)`);
    out(`clientSecret: ${secret}`);
    out("Store the secret now: it is kept only as a hash and cannot be shown again.");
  },
};

export const appCommands: AdminCommand[] = [createApp, listApps, grantScopes, setWhitelist, setQps, resetSecret];
