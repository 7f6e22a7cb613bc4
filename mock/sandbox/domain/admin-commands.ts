// Admin CLI commands for what operations staff configure in the admin console: members, coupon templates,
// redeem codes (templates with weights, validity, limits), voiding, and the redemptions issued.
// Each command is a plain function (sql, args) -> printed text, on either engine; it throws an Error whose message
// says what to fix.
import { randomBytes } from "node:crypto";
import { parseCommandArgs } from "../admin/args.ts";
import type { Sql } from "../sql.ts";
import { formatCst } from "./platform-time.ts";
import { type CodeSpec, createCode, createMember, createTemplate, type TemplateSpec, voidCode } from "./redemption.ts";

export interface DomainAdminCommand {
  summary: string;
  usage: string;
  run: (sql: Sql, args: string[]) => Promise<string>;
}

/**
 * Parses a domain command's options with the admin CLI's one strict parser (../admin/args.ts). Every option takes
 * a value; `--template` may repeat. No positional arguments.
 */
function parseFlags(args: string[], allowed: string[], usage = ""): Map<string, string[]> {
  const options = Object.fromEntries(
    allowed.map((name) => [name, { type: "string" as const, multiple: name === "template" }]),
  );
  return parseCommandArgs(args, { options }, usage || `options: ${allowed.map((a) => `--${a}`).join(" ")}`).all;
}

/** The tenant of a command that creates tenant data (required: business data always belongs to one tenant). */
function tenant(flags: Map<string, string[]>): string {
  const value = required(flags, "tenant");
  if (!/^[1-9][0-9]{0,18}$/.test(value)) throw new Error(`--tenant must be a positive integer, got "${value}"`);
  return value;
}

/** The optional `--tenant` filter of the list commands (null = every tenant). */
function tenantFilter(flags: Map<string, string[]>): string | null {
  return flags.has("tenant") ? tenant(flags) : null;
}

const one = (flags: Map<string, string[]>, name: string): string | undefined => flags.get(name)?.at(-1);

function required(flags: Map<string, string[]>, name: string): string {
  const value = one(flags, name);
  if (value === undefined || value === "") throw new Error(`--${name} is required`);
  return value;
}

function whole(flags: Map<string, string[]>, name: string, min = 0): number | undefined {
  const raw = one(flags, name);
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  return value;
}

function table(rows: Record<string, unknown>[]): string {
  if (rows.length === 0) return "(none)";
  const columns = Object.keys(rows[0] as object);
  const text = (v: unknown): string => (v === null || v === undefined ? "-" : String(v));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] as number))
      .join("  ")
      .trimEnd();
  return [line(columns), ...rows.map((r) => line(columns.map((c) => text(r[c]))))].join("\n");
}

const when = (ms: number | null): string | null => (ms === null ? null : formatCst(ms));

export const domainAdminCommands: Record<string, DomainAdminCommand> = {
  "create-member": {
    summary: "Create a member (redemption looks members up by exact email; the API never creates them).",
    usage: "create-member --tenant ID --email EMAIL [--nickname NAME]",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["tenant", "email", "nickname"]);
      const tenantId = tenant(flags);
      const email = required(flags, "email");
      const id = await createMember(sql, { tenantId, email, nickname: one(flags, "nickname") ?? "" }, Date.now());
      return `member ${id} created in tenant ${tenantId}: ${email}`;
    },
  },
  "list-members": {
    summary: "List members.",
    usage: "list-members [--tenant ID]",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["tenant"]);
      const rows = await sql.all<{
        id: number;
        tenant_id: string;
        email: string;
        nickname: string;
        created_at: number;
      }>(
        "SELECT id, tenant_id, email, nickname, created_at FROM members WHERE tenant_id = @tenant OR @tenant IS NULL ORDER BY id",
        { tenant: tenantFilter(flags) },
      );
      return table(
        rows.map((r) => ({
          id: r.id,
          tenant: r.tenant_id,
          email: r.email,
          nickname: r.nickname,
          created: when(r.created_at),
        })),
      );
    },
  },
  "create-template": {
    summary: "Create a coupon template (amounts in US cents).",
    usage:
      "create-template --tenant ID --title T --coupon-type 1|2|3 --discount-type 1|2 [--price CENTS] [--percent PAID] " +
      "[--min-spend CENTS] (--valid-days N | --valid-start 'yyyy-MM-dd HH:mm:ss' --valid-end '...') [--id N]",
    run: async (sql, args) => {
      const flags = parseFlags(args, [
        "tenant",
        "id",
        "title",
        "coupon-type",
        "discount-type",
        "price",
        "percent",
        "min-spend",
        "valid-days",
        "valid-start",
        "valid-end",
      ]);
      const couponType = whole(flags, "coupon-type", 1);
      const discountType = whole(flags, "discount-type", 1);
      if (couponType === undefined || couponType > 3)
        throw new Error("--coupon-type must be 1 (shipping), 2 (product) or 3 (site-wide)");
      if (discountType === undefined || discountType > 2)
        throw new Error("--discount-type must be 1 (amount off) or 2 (percentage off)");
      const spec: TemplateSpec = {
        tenantId: tenant(flags),
        title: required(flags, "title"),
        couponType: couponType as 1 | 2 | 3,
        discountType: discountType as 1 | 2,
        discountPrice: whole(flags, "price") ?? 0,
        discountPercent: whole(flags, "percent", 1) ?? null,
        usePriceCondition: whole(flags, "min-spend") ?? 0,
      };
      const id = whole(flags, "id", 1);
      const validDays = whole(flags, "valid-days", 1);
      const validStart = one(flags, "valid-start");
      const validEnd = one(flags, "valid-end");
      if (id !== undefined) spec.id = id;
      if (validDays !== undefined) spec.validDays = validDays;
      if (validStart !== undefined) spec.validStart = validStart;
      if (validEnd !== undefined) spec.validEnd = validEnd;
      return `coupon template ${await createTemplate(sql, spec)} created: ${spec.title}`;
    },
  },
  "list-templates": {
    summary: "List coupon templates.",
    usage: "list-templates [--tenant ID]",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["tenant"]);
      return table(
        await sql.all<Record<string, number | string | null>>(
          `SELECT id, tenant_id AS tenant, title, coupon_type AS type, discount_type AS discount, discount_price AS price_cents,
             discount_percent AS percent_paid, use_price_condition AS min_spend_cents, valid_days FROM coupon_templates
           WHERE tenant_id = @tenant OR @tenant IS NULL ORDER BY id`,
          { tenant: tenantFilter(flags) },
        ),
      );
    },
  },
  "create-code": {
    summary: "Create a redeem code bound to weighted coupon templates, with validity and limits (0 = unlimited).",
    usage:
      "create-code --tenant ID [--code CODE] --template ID[:WEIGHT] [--template ...] [--mode random|all] " +
      "[--valid-from 'yyyy-MM-dd HH:mm:ss'] [--valid-to '...'] [--per-member N] [--daily N] [--per-ip N] [--quota N]",
    run: async (sql, args) => {
      const flags = parseFlags(args, [
        "tenant",
        "code",
        "template",
        "mode",
        "valid-from",
        "valid-to",
        "per-member",
        "daily",
        "per-ip",
        "quota",
      ]);
      const mode = one(flags, "mode") ?? "random";
      if (mode !== "random" && mode !== "all") throw new Error(`--mode must be random or all, got "${mode}"`);
      const templates = (flags.get("template") ?? []).map((t) => {
        const m = /^([0-9]+)(?::([0-9]+))?$/.exec(t);
        if (m === null) throw new Error(`--template "${t}" must be ID or ID:WEIGHT, e.g. 1001:3`);
        return { templateId: Number(m[1]), weight: m[2] === undefined ? 1 : Number(m[2]) };
      });
      const spec: CodeSpec = {
        tenantId: tenant(flags),
        code: one(flags, "code") ?? randomBytes(8).toString("hex").toUpperCase(),
        mode,
        templates,
        perMemberLimit: whole(flags, "per-member") ?? 0,
        dailyLimit: whole(flags, "daily") ?? 0,
        perIpDailyLimit: whole(flags, "per-ip") ?? 0,
        quota: whole(flags, "quota") ?? 0,
      };
      const from = one(flags, "valid-from");
      const to = one(flags, "valid-to");
      if (from !== undefined) spec.validFrom = from;
      if (to !== undefined) spec.validTo = to;
      await createCode(sql, spec, Date.now());
      return `redeem code ${spec.code} created in tenant ${spec.tenantId}`;
    },
  },
  "void-code": {
    summary: "Void a redeem code: every later redemption answers 1013020003.",
    usage: "void-code --code CODE",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["code"]);
      await voidCode(sql, required(flags, "code"), Date.now());
      return `redeem code ${required(flags, "code")} voided`;
    },
  },
  "list-codes": {
    summary: "List redeem codes with their templates, limits and use.",
    usage: "list-codes [--tenant ID]",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["tenant"]);
      const rows = await sql.all<Record<string, number | string | null>>(
        `SELECT c.code, c.tenant_id, c.mode, c.valid_from, c.valid_to, c.voided_at, c.per_member_limit, c.daily_limit,
           c.per_ip_daily_limit, c.quota,
           (SELECT string_agg(template_id || ':' || weight, ' ' ORDER BY position) FROM redeem_code_templates t
             WHERE t.code = c.code) AS templates,
           (SELECT COUNT(*) FROM redemptions r WHERE r.code = c.code) AS redeemed
         FROM redeem_codes c WHERE c.tenant_id = @tenant OR @tenant IS NULL ORDER BY c.created_at, c.code`,
        { tenant: tenantFilter(flags) },
      );
      return table(
        rows.map((r) => ({
          code: r.code,
          tenant: r.tenant_id,
          mode: r.mode,
          templates: r.templates,
          from: when(r.valid_from as number | null),
          to: when(r.valid_to as number | null),
          voided: when(r.voided_at as number | null),
          per_member: r.per_member_limit,
          daily: r.daily_limit,
          per_ip: r.per_ip_daily_limit,
          quota: r.quota,
          redeemed: r.redeemed,
        })),
      );
    },
  },
  "list-redemptions": {
    summary: "List redemptions, newest first.",
    usage: "list-redemptions [--tenant ID] [--code CODE] [--email EMAIL] [--limit N]",
    run: async (sql, args) => {
      const flags = parseFlags(args, ["tenant", "code", "email", "limit"]);
      const rows = await sql.all<Record<string, number | string | null>>(
        `SELECT id, redeemed_at, tenant_id, code, email, client_ip, app_id, request_id, result FROM redemptions
         WHERE (tenant_id = @tenant OR @tenant IS NULL) AND (code = @code OR @code IS NULL)
           AND (email = @email OR @email IS NULL) ORDER BY id DESC LIMIT @limit`,
        {
          tenant: tenantFilter(flags),
          code: one(flags, "code") ?? null,
          email: one(flags, "email") ?? null,
          limit: whole(flags, "limit", 1) ?? 50,
        },
      );
      return table(
        rows.map((r) => ({
          id: r.id,
          at: when(r.redeemed_at as number),
          tenant: r.tenant_id,
          code: r.code,
          email: r.email,
          ip: r.client_ip,
          app: r.app_id,
          request_id: r.request_id,
          prize: (JSON.parse(String(r.result)) as { prize: string }).prize,
        })),
      );
    },
  },
};

/**
 * Adds the domain commands to the admin CLI. `add` is the CLI's own registration function (the registry type is
 * the server's; this stays structural so either side can change without a compile break elsewhere).
 */
export function registerDomainAdminCommands(registry: {
  add: (name: string, command: DomainAdminCommand) => void;
}): void {
  for (const [name, command] of Object.entries(domainAdminCommands)) registry.add(name, command);
}
