// Coupon redemption (redeemCouponCode): members, coupon templates, redeem codes with weighted templates and
// limits, the redemptions issued, and requestId idempotency, in the sandbox store (either engine). This module
// holds the rules and the operators' actions, once; each engine's redeemer applies the rules in its own
// transaction (sqlite-redemptions.ts, ../postgres/redemptions.ts).
//
// Tenants: members, templates, codes and redemptions each belong to one tenant (the guide's isolation boundary).
// A redemption sees only its caller's tenant: another tenant's member or code answers exactly as an unknown one,
// and since a code belongs to one tenant, its quota and its per-member, per-day and per-IP limits do too. Member
// emails are unique per tenant; code strings and template ids are unique in the store (printed codes are global
// tokens), so a second tenant cannot take a string another tenant uses (the admin CLI says so, the API never does).
//
// Durability and idempotency: one redemption is one transaction that claims its requestId (a repeat inside the
// window answers 900 before any rule is asked), checks every rule, and writes the redemption and its coupons; the
// claim stays only if the transaction commits. The answer is sent only once the transaction is durable.
// Concurrent duplicates are serialised by the engine (a claim's primary key, a write lock) and all but one answer
// 900; a business error keeps nothing, requestId included, so a corrected retry is processed (as the platform's
// idempotency layer drops its key when the call fails). How each engine makes it durable, orders concurrent
// redemptions and keeps its claims, is said in its redeemer.
import { randomInt } from "node:crypto";
import type { RedeemContext } from "../domain-port.ts";
import type { SuccessData } from "../operation-types.ts";
import type { Sql } from "../sql.ts";
import { formatCst, parseCst } from "./platform-time.ts";

export type RedeemResult = SuccessData<"redeemCouponCode">;
export type IssuedCoupon = RedeemResult["coupons"][number];

/** How long a requestId is remembered: the guide's 10 minutes. */
export const REQUEST_ID_WINDOW_MS = 10 * 60_000;

/** The business errors of redeemCouponCode, exactly as in its `x-business-errors`. */
export const redeemErrors = {
  REPEATED_REQUEST: { code: 900, msg: "Duplicate request, please do not retry" },
  MEMBER_EMAIL_REQUIRED: { code: 1004001008, msg: "Email is required" },
  MEMBER_NOT_EXISTS: { code: 1004001000, msg: "Member does not exist" },
  REDEEM_CODE_NOT_EXISTS: { code: 1013020000, msg: "Redeem code does not exist" },
  REDEEM_CODE_NOT_STARTED: { code: 1013020001, msg: "Redeem code is not yet valid" },
  REDEEM_CODE_EXPIRED: { code: 1013020002, msg: "Redeem code has expired" },
  REDEEM_CODE_VOIDED: { code: 1013020003, msg: "Redeem code has been voided" },
  REDEEM_CODE_MEMBER_LIMIT: { code: 1013020004, msg: "Redemption limit per member reached for this code" },
  REDEEM_CODE_DAILY_LIMIT: { code: 1013020005, msg: "Daily redemption limit reached for this code" },
  REDEEM_CODE_IP_LIMIT: { code: 1013020006, msg: "Daily redemption limit per IP reached for this code" },
  REDEEM_CODE_QUOTA_EXHAUSTED: { code: 1013020007, msg: "Redeem code has been fully redeemed" },
} as const;
export type RedeemErrorKey = keyof typeof redeemErrors;

/** Thrown inside a redemption's transaction: rolls it back (requestId included) and answers the business error. */
export class RedeemRefused extends Error {
  constructor(readonly key: RedeemErrorKey) {
    super(key);
  }
}

/** The tenant of the demo data: the demo applications' tenant. */
export const DEMO_TENANT = "1";

// ---------------------------------------------------------------------------------------------------------------
// Demo data (documented in mock/README.md "Business behaviour")

export const DEMO_MEMBER_EMAIL = "member@example.com";
export const DEMO_REDEEM_CODE = "E602F4DC626E4948";

const demoMembers = [
  { email: DEMO_MEMBER_EMAIL, nickname: "Demo member" },
  { email: "buyer@example.com", nickname: "Second demo member" },
  { email: "vip@example.com", nickname: "Third demo member" },
];

interface TemplateRow {
  id: number;
  title: string;
  coupon_type: number;
  discount_type: number;
  discount_price: number;
  discount_percent: number | null;
  use_price_condition: number;
  valid_days: number | null;
  valid_start: number | null;
  valid_end: number | null;
}

const demoTemplates: TemplateRow[] = [
  {
    id: 1001,
    title: "满100减10",
    coupon_type: 2,
    discount_type: 1,
    discount_price: 1000,
    discount_percent: null,
    use_price_condition: 10000,
    valid_days: 30,
    valid_start: null,
    valid_end: null,
  },
  {
    id: 1002,
    title: "全场7折",
    coupon_type: 3,
    discount_type: 2,
    discount_price: 0,
    discount_percent: 70,
    use_price_condition: 0,
    valid_days: 30,
    valid_start: null,
    valid_end: null,
  },
  {
    id: 1003,
    title: "包邮券",
    coupon_type: 1,
    discount_type: 1,
    discount_price: 0,
    discount_percent: null,
    use_price_condition: 0,
    valid_days: 14,
    valid_start: null,
    valid_end: null,
  },
  {
    id: 1004,
    title: "运费减5美元",
    coupon_type: 1,
    discount_type: 1,
    discount_price: 500,
    discount_percent: null,
    use_price_condition: 0,
    valid_days: 14,
    valid_start: null,
    valid_end: null,
  },
];

export interface CodeSpec {
  code: string;
  /** Default: the demo tenant. */
  tenantId?: string;
  mode?: "random" | "all";
  templates: { templateId: number; weight: number }[];
  validFrom?: string;
  validTo?: string;
  perMemberLimit?: number;
  dailyLimit?: number;
  perIpDailyLimit?: number;
  quota?: number;
}

const ALWAYS = { validFrom: "2026-01-01 00:00:00", validTo: "2099-12-31 23:59:59" };
export const demoCodes: (CodeSpec & { voided?: boolean; purpose: string })[] = [
  {
    code: DEMO_REDEEM_CODE,
    ...ALWAYS,
    templates: [
      { templateId: 1001, weight: 3 },
      { templateId: 1002, weight: 1 },
    ],
    purpose: "one coupon at random: 1001 ($10 OFF) 3 in 4, 1002 (30% OFF) 1 in 4; no limits",
  },
  {
    code: "DEMO-BUNDLE",
    mode: "all",
    ...ALWAYS,
    templates: [
      { templateId: 1002, weight: 1 },
      { templateId: 1004, weight: 1 },
      { templateId: 1003, weight: 1 },
    ],
    purpose: 'every template at once: prize "30% OFF, $5 OFF, 包邮券" (the last falls back to its title)',
  },
  {
    code: "DEMO-NOT-STARTED",
    validFrom: "2099-01-01 00:00:00",
    validTo: "2099-12-31 23:59:59",
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020001 Redeem code is not yet valid",
  },
  {
    code: "DEMO-EXPIRED",
    validFrom: "2025-01-01 00:00:00",
    validTo: "2025-12-31 23:59:59",
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020002 Redeem code has expired",
  },
  {
    code: "DEMO-VOIDED",
    ...ALWAYS,
    voided: true,
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020003 Redeem code has been voided",
  },
  {
    code: "DEMO-ONCE-PER-MEMBER",
    ...ALWAYS,
    perMemberLimit: 1,
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020004 on a member's second redemption",
  },
  {
    code: "DEMO-DAILY-2",
    ...ALWAYS,
    dailyLimit: 2,
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020005 on the third redemption of a CST day",
  },
  {
    code: "DEMO-IP-1",
    ...ALWAYS,
    perIpDailyLimit: 1,
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020006 on the second redemption from one IP in a CST day",
  },
  {
    code: "DEMO-QUOTA-3",
    ...ALWAYS,
    quota: 3,
    templates: [{ templateId: 1001, weight: 1 }],
    purpose: "1013020007 after three redemptions in all",
  },
];

/** Any number: the key of the PostgreSQL advisory lock held while demo data is seeded. */
const SEED_LOCK = 74_110_017;

/** Creates the demo members, templates and codes that are missing; never touches existing rows. */
export async function seedRedemptionDemo(sql: Sql, now: number): Promise<void> {
  await sql.transaction(async (tx) => {
    // Several PostgreSQL instances may start at once: they seed one at a time, and the later ones find the codes.
    if (tx.dialect === "postgres") await tx.get("SELECT pg_advisory_xact_lock(?)", [SEED_LOCK]);
    for (const m of demoMembers) {
      await tx.run(
        "INSERT INTO members (tenant_id, email, nickname, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        [DEMO_TENANT, m.email, m.nickname, now],
      );
    }
    for (const t of demoTemplates) {
      await tx.run(
        `INSERT INTO coupon_templates (id, tenant_id, title, coupon_type, discount_type, discount_price,
           discount_percent, use_price_condition, valid_days, valid_start, valid_end)
         VALUES (@id, @tenant_id, @title, @coupon_type, @discount_type, @discount_price, @discount_percent,
           @use_price_condition, @valid_days, @valid_start, @valid_end) ON CONFLICT DO NOTHING`,
        { ...t, tenant_id: DEMO_TENANT },
      );
    }
    await followExplicitIds(tx, "coupon_templates");
    for (const c of demoCodes) {
      if (await tx.get("SELECT 1 AS yes FROM redeem_codes WHERE code = ?", [c.code])) continue;
      await createCode(tx, c, now);
      if (c.voided) await voidCode(tx, c.code, now);
    }
  });
}

/**
 * PostgreSQL numbers rows from a sequence that rows inserted with an explicit id (the demo templates, --id) do
 * not move: moved here past the largest id, so the next automatic id cannot collide. SQLite takes max(id) + 1.
 */
async function followExplicitIds(sql: Sql, table: "coupon_templates"): Promise<void> {
  if (sql.dialect !== "postgres") return;
  await sql.get(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT MAX(id) FROM ${table}), 1))`);
}

// ---------------------------------------------------------------------------------------------------------------
// Operations staff actions (used by the seed and the admin CLI)

export async function createMember(
  sql: Sql,
  member: { tenantId: string; email: string; nickname: string },
  now: number,
): Promise<number> {
  const { tenantId, email, nickname } = member;
  if (email.trim() === "" || email !== email.trim()) {
    throw new Error(`member email "${email}" must be non-empty without surrounding spaces`);
  }
  const existing = await sql.get<{ id: number }>("SELECT id FROM members WHERE tenant_id = ? AND email = ?", [
    tenantId,
    email,
  ]);
  if (existing !== undefined) {
    throw new Error(`a member with email ${email} already exists in tenant ${tenantId} (id ${existing.id})`);
  }
  const inserted = await sql.run(
    "INSERT INTO members (tenant_id, email, nickname, created_at) VALUES (?, ?, ?, ?) RETURNING id",
    [tenantId, email, nickname, now],
  );
  return Number(inserted.rows[0]?.id);
}

export interface TemplateSpec {
  id?: number;
  tenantId: string;
  title: string;
  couponType: 1 | 2 | 3;
  discountType: 1 | 2;
  discountPrice?: number;
  discountPercent?: number | null;
  usePriceCondition?: number;
  validDays?: number;
  validStart?: string;
  validEnd?: string;
}

export async function createTemplate(sql: Sql, t: TemplateSpec): Promise<number> {
  if (t.discountType === 2 && (t.discountPercent === undefined || t.discountPercent === null)) {
    throw new Error("a percentage-off template (discount type 2) needs --percent, the share paid (70 = 30% off)");
  }
  const fixedStart = t.validStart === undefined ? null : parseCstOrThrow(t.validStart, "valid start");
  const fixedEnd = t.validEnd === undefined ? null : parseCstOrThrow(t.validEnd, "valid end");
  if (t.validDays === undefined && (fixedStart === null || fixedEnd === null)) {
    throw new Error("a template needs --valid-days N, or both --valid-start and --valid-end (yyyy-MM-dd HH:mm:ss)");
  }
  if (t.id !== undefined && (await sql.get("SELECT 1 AS yes FROM coupon_templates WHERE id = ?", [t.id]))) {
    throw new Error(`coupon template ${t.id} already exists`);
  }
  const values = [
    t.tenantId,
    t.title,
    t.couponType,
    t.discountType,
    t.discountPrice ?? 0,
    t.discountType === 2 ? (t.discountPercent ?? null) : null,
    t.usePriceCondition ?? 0,
    t.validDays ?? null,
    fixedStart,
    fixedEnd,
  ];
  const columns = `tenant_id, title, coupon_type, discount_type, discount_price, discount_percent,
    use_price_condition, valid_days, valid_start, valid_end`;
  const inserted =
    t.id === undefined
      ? await sql.run(
          `INSERT INTO coupon_templates (${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          values,
        )
      : await sql.run(
          `INSERT INTO coupon_templates (id, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
          [t.id, ...values],
        );
  if (t.id !== undefined) await followExplicitIds(sql, "coupon_templates");
  return Number(inserted.rows[0]?.id);
}

function parseCstOrThrow(text: string, what: string): number {
  const ms = parseCst(text);
  if (ms === null) throw new Error(`${what} "${text}" is not a date-time in the form yyyy-MM-dd HH:mm:ss (CST)`);
  return ms;
}

export async function createCode(sql: Sql, c: CodeSpec, now: number): Promise<void> {
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(c.code)) {
    throw new Error(`redeem code "${c.code}" must be 4 to 64 letters, digits, "_" or "-"`);
  }
  if (c.templates.length === 0) throw new Error("a redeem code needs at least one template (--template ID[:WEIGHT])");
  const from = c.validFrom === undefined ? null : parseCstOrThrow(c.validFrom, "valid from");
  const to = c.validTo === undefined ? null : parseCstOrThrow(c.validTo, "valid to");
  if (from !== null && to !== null && from > to)
    throw new Error(`valid from ${c.validFrom} is after valid to ${c.validTo}`);
  const tenantId = c.tenantId ?? DEMO_TENANT;
  await sql.transaction(async (tx) => {
    if (await tx.get("SELECT 1 AS yes FROM redeem_codes WHERE code = ?", [c.code])) {
      throw new Error(`redeem code ${c.code} already exists`);
    }
    await tx.run(
      `INSERT INTO redeem_codes (code, tenant_id, mode, valid_from, valid_to, per_member_limit, daily_limit,
         per_ip_daily_limit, quota, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.code,
        tenantId,
        c.mode ?? "random",
        from,
        to,
        c.perMemberLimit ?? 0,
        c.dailyLimit ?? 0,
        c.perIpDailyLimit ?? 0,
        c.quota ?? 0,
        now,
      ],
    );
    for (const [position, t] of c.templates.entries()) {
      const owner = await tx.get<{ tenant_id: string }>("SELECT tenant_id FROM coupon_templates WHERE id = ?", [
        t.templateId,
      ]);
      if (owner === undefined) throw new Error(`coupon template ${t.templateId} does not exist`);
      if (owner.tenant_id !== tenantId) {
        throw new Error(
          `coupon template ${t.templateId} belongs to tenant ${owner.tenant_id}, not to tenant ${tenantId}`,
        );
      }
      if (!Number.isInteger(t.weight) || t.weight < 1)
        throw new Error(`template ${t.templateId}: weight must be a whole number >= 1`);
      await tx.run("INSERT INTO redeem_code_templates (code, template_id, weight, position) VALUES (?, ?, ?, ?)", [
        c.code,
        t.templateId,
        t.weight,
        position,
      ]);
    }
  });
}

export async function voidCode(sql: Sql, code: string, now: number): Promise<void> {
  const { changes } = await sql.run("UPDATE redeem_codes SET voided_at = ? WHERE code = ? AND voided_at IS NULL", [
    now,
    code,
  ]);
  if (changes === 0) {
    const exists = await sql.get("SELECT 1 AS yes FROM redeem_codes WHERE code = ?", [code]);
    throw new Error(exists ? `redeem code ${code} is already voided` : `redeem code ${code} does not exist`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Prize text

const dollars = (cents: number): string =>
  cents % 100 === 0 ? String(cents / 100) : `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** "30% OFF" for a percentage coupon, "$10 OFF" for an amount coupon (cents to dollars), else the title. */
export function prizeOf(coupon: IssuedCoupon): string {
  if (
    coupon.discountType === 2 &&
    coupon.discountPercent !== null &&
    coupon.discountPercent > 0 &&
    coupon.discountPercent < 100
  ) {
    return `${100 - coupon.discountPercent}% OFF`;
  }
  if (coupon.discountType === 1 && coupon.discountPrice > 0) return `$${dollars(coupon.discountPrice)} OFF`;
  return coupon.title;
}

export const prizeText = (coupons: IssuedCoupon[]): string => coupons.map(prizeOf).join(", ");

// ---------------------------------------------------------------------------------------------------------------
// Redeeming

export interface CodeRow {
  code: string;
  mode: "random" | "all";
  valid_from: number | null;
  valid_to: number | null;
  voided_at: number | null;
  per_member_limit: number;
  daily_limit: number;
  per_ip_daily_limit: number;
  quota: number;
}

export type BoundTemplate = TemplateRow & { weight: number };

/** Picks one template by weight. `pick` is injectable so a test can check the weighting exactly. */
export function pickWeighted<T extends { weight: number }>(items: T[], pick: (total: number) => number = randomInt): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let ticket = pick(total);
  for (const item of items) {
    if (ticket < item.weight) return item;
    ticket -= item.weight;
  }
  throw new Error(`weighted pick out of range (${ticket} of ${total})`);
}

// The rules of a redemption, once for both engines. Each engine's redeemer (sqlite-redemptions.ts,
// ../postgres/redemptions.ts) reads the facts inside its transaction, asks these functions, and refuses with the
// first answer in this order:
//   the requestId (REPEATED_REQUEST) -> email -> member -> code (codeRefusal) -> usage (usageRefusal) ->
//   templates -> issue.

/** Why this code cannot be redeemed now, whoever asks: unknown (or another tenant's), voided, not started, expired. */
export function codeRefusal(code: CodeRow | undefined, now: number): RedeemErrorKey | null {
  if (code === undefined) return "REDEEM_CODE_NOT_EXISTS";
  if (code.voided_at !== null) return "REDEEM_CODE_VOIDED";
  if (code.valid_from !== null && now < code.valid_from) return "REDEEM_CODE_NOT_STARTED";
  if (code.valid_to !== null && now > code.valid_to) return "REDEEM_CODE_EXPIRED";
  return null;
}

/** The redemptions of a code a limit counts; only the counts of the limits the code has are asked for. */
export interface CodeUsage {
  all(): number;
  byMember(): number;
  onDay(): number;
  onDayFromIp(): number;
}

/**
 * Whether the code has any limit, so its redemptions are counted. Limits are set when a code is created and never
 * change (the admin CLI has no command that changes them), so a redemption row records this once (its `limited`
 * column) and only limited codes' rows are written into the counting indexes (schema.ts).
 */
export const hasLimit = (code: CodeRow): boolean =>
  code.quota > 0 || code.per_member_limit > 0 || code.daily_limit > 0 || code.per_ip_daily_limit > 0;

/**
 * The first limit this redemption would exceed, in the platform's order: quota, per member, per day, per IP and
 * day (0 = no limit). Counts are asked for lazily, in that order, and only for the limits the code has.
 */
export function usageRefusal(code: CodeRow, usage: CodeUsage): RedeemErrorKey | null {
  if (code.quota > 0 && usage.all() >= code.quota) return "REDEEM_CODE_QUOTA_EXHAUSTED";
  if (code.per_member_limit > 0 && usage.byMember() >= code.per_member_limit) return "REDEEM_CODE_MEMBER_LIMIT";
  if (code.daily_limit > 0 && usage.onDay() >= code.daily_limit) return "REDEEM_CODE_DAILY_LIMIT";
  if (code.per_ip_daily_limit > 0 && usage.onDayFromIp() >= code.per_ip_daily_limit) return "REDEEM_CODE_IP_LIMIT";
  return null;
}

/** The coupons and the answer of a redemption that passed every rule. */
export function issueCoupons(
  code: CodeRow,
  member: { email: string },
  bound: BoundTemplate[],
  now: number,
): RedeemResult {
  if (bound.length === 0)
    throw new Error(`redeem code ${code.code} has no coupon templates: bind one with the admin CLI`);
  const chosen = code.mode === "all" ? bound : [pickWeighted(bound)];
  const coupons = chosen.map((t) => issuedCoupon(t, now));
  return {
    code: code.code,
    email: member.email,
    prize: prizeText(coupons),
    success: true,
    message: `兑换成功,共获得 ${coupons.length} 张优惠券`,
    coupons,
  };
}

/**
 * What a redemption row keeps of its answer: only what the admin CLI's redemption list reads (the prize text),
 * ~80 bytes a row instead of ~800. The coupons themselves are rows of issued_coupons.
 */
const storedResult = (result: RedeemResult): string => JSON.stringify({ prize: result.prize });

/** The columns of a redemption row, in the order `redemptionRow` gives their values (both redeemers insert it). */
export const REDEMPTION_COLUMNS =
  "code, member_id, email, client_ip, app_id, tenant_id, request_id, cst_day, redeemed_at, result, limited";

/** The values of a redemption row that passed every rule, in REDEMPTION_COLUMNS' order. */
export function redemptionRow(
  code: CodeRow,
  member: { id: number; email: string },
  ctx: RedeemContext,
  requestId: string | undefined,
  day: string,
  now: number,
  result: RedeemResult,
) {
  return [
    code.code,
    member.id,
    member.email,
    ctx.clientIp,
    ctx.appId,
    ctx.tenantId,
    requestId ?? null,
    day,
    now,
    storedResult(result),
    hasLimit(code) ? 1 : 0,
  ] as const;
}

function issuedCoupon(t: TemplateRow, now: number): IssuedCoupon {
  const start = t.valid_days !== null ? now : (t.valid_start as number);
  const end = t.valid_days !== null ? now + t.valid_days * 86_400_000 : (t.valid_end as number);
  return {
    templateId: t.id,
    title: t.title,
    couponType: t.coupon_type as IssuedCoupon["couponType"],
    discountType: t.discount_type as IssuedCoupon["discountType"],
    discountPrice: t.discount_price,
    discountPercent: t.discount_type === 2 ? t.discount_percent : null,
    usePriceCondition: t.use_price_condition,
    validStartTime: formatCst(start),
    validEndTime: formatCst(end),
  };
}
