// Coupon redemption (redeemCouponCode): members, coupon templates, redeem codes with weighted templates and
// limits, the redemptions issued, and requestId idempotency, all in the sandbox's SQLite store.
//
// Tenants: members, templates, codes and redemptions each belong to one tenant (the guide's isolation boundary).
// A redemption sees only its caller's tenant: another tenant's member or code answers exactly as an unknown one,
// and since a code belongs to one tenant, its quota and its per-member, per-day and per-IP limits do too. Member
// emails are unique per tenant; code strings and template ids are unique in the store (printed codes are global
// tokens), so a second tenant cannot take a string another tenant uses (the admin CLI says so, the API never does).
//
// Durability and idempotency: one redemption is one IMMEDIATE transaction that (1) inserts the requestId into a
// table whose primary key makes a second insert fail, (2) checks every rule, (3) writes the redemption and its
// coupons. The answer is sent only after COMMIT returned. A concurrent or later duplicate hits the primary key and
// answers 900; a business error rolls the whole transaction back, requestId included, so a corrected retry is
// processed (as the platform's idempotency layer drops its key when the call fails). See installDomain for the
// synchronous setting that makes a committed redemption survive kill -9 and power loss.
import { randomInt } from "node:crypto";
import type Database from "better-sqlite3";
import type { RedeemContext } from "../domain-port.ts";
import type { BusinessResult, RequestBody, SuccessData } from "../operation-types.ts";
import { DurableCommit } from "../store.ts";
import { cstDay, formatCst, parseCst } from "./platform-time.ts";

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
type RedeemErrorKey = keyof typeof redeemErrors;

class RedeemRefused extends Error {
  constructor(readonly key: RedeemErrorKey) {
    super(key);
  }
}

/** The members table: one definition for a new store and for the migration that adds tenants to an old one. */
const membersTable = (name: string) => `CREATE TABLE ${name} (
  id          INTEGER PRIMARY KEY,
  tenant_id   TEXT NOT NULL,
  email       TEXT NOT NULL,
  nickname    TEXT NOT NULL DEFAULT '',
  created_at  INTEGER NOT NULL,
  UNIQUE (tenant_id, email)
)`;

export function migrateRedemption(db: Database.Database): void {
  db.exec(`
    ${membersTable("IF NOT EXISTS members")};
    CREATE TABLE IF NOT EXISTS coupon_templates (
      id                  INTEGER PRIMARY KEY,
      tenant_id           TEXT NOT NULL,
      title               TEXT NOT NULL,
      coupon_type         INTEGER NOT NULL CHECK (coupon_type IN (1, 2, 3)),
      discount_type       INTEGER NOT NULL CHECK (discount_type IN (1, 2)),
      discount_price      INTEGER NOT NULL DEFAULT 0 CHECK (discount_price >= 0),
      discount_percent    INTEGER CHECK (discount_percent BETWEEN 1 AND 99),
      use_price_condition INTEGER NOT NULL DEFAULT 0 CHECK (use_price_condition >= 0),
      valid_days          INTEGER CHECK (valid_days > 0),
      valid_start         INTEGER,
      valid_end           INTEGER,
      CHECK (valid_days IS NOT NULL OR (valid_start IS NOT NULL AND valid_end IS NOT NULL))
    );
    CREATE TABLE IF NOT EXISTS redeem_codes (
      code                TEXT PRIMARY KEY,
      tenant_id           TEXT NOT NULL,
      mode                TEXT NOT NULL DEFAULT 'random' CHECK (mode IN ('random', 'all')),
      valid_from          INTEGER,
      valid_to            INTEGER,
      voided_at           INTEGER,
      per_member_limit    INTEGER NOT NULL DEFAULT 0 CHECK (per_member_limit >= 0),
      daily_limit         INTEGER NOT NULL DEFAULT 0 CHECK (daily_limit >= 0),
      per_ip_daily_limit  INTEGER NOT NULL DEFAULT 0 CHECK (per_ip_daily_limit >= 0),
      quota               INTEGER NOT NULL DEFAULT 0 CHECK (quota >= 0),
      created_at          INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS redeem_code_templates (
      code         TEXT NOT NULL REFERENCES redeem_codes(code),
      template_id  INTEGER NOT NULL REFERENCES coupon_templates(id),
      weight       INTEGER NOT NULL CHECK (weight > 0),
      PRIMARY KEY (code, template_id)
    );
    CREATE TABLE IF NOT EXISTS redemptions (
      id           INTEGER PRIMARY KEY,
      code         TEXT NOT NULL REFERENCES redeem_codes(code),
      member_id    INTEGER NOT NULL REFERENCES members(id),
      email        TEXT NOT NULL,
      client_ip    TEXT NOT NULL,
      app_id       TEXT NOT NULL,
      tenant_id    TEXT NOT NULL,
      request_id   TEXT,
      cst_day      TEXT NOT NULL,
      redeemed_at  INTEGER NOT NULL,
      result       TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS redemptions_by_code_day ON redemptions(code, cst_day, client_ip);
    CREATE INDEX IF NOT EXISTS redemptions_by_code_member ON redemptions(code, member_id);
    CREATE TABLE IF NOT EXISTS issued_coupons (
      id             INTEGER PRIMARY KEY,
      redemption_id  INTEGER NOT NULL REFERENCES redemptions(id),
      member_id      INTEGER NOT NULL REFERENCES members(id),
      template_id    INTEGER NOT NULL REFERENCES coupon_templates(id),
      valid_start    TEXT NOT NULL,
      valid_end      TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS redeem_request_ids (
      tenant_id      TEXT NOT NULL,
      app_id         TEXT NOT NULL,
      request_id     TEXT NOT NULL,
      accepted_at    INTEGER NOT NULL,
      redemption_id  INTEGER REFERENCES redemptions(id),
      PRIMARY KEY (tenant_id, app_id, request_id)
    );
    CREATE INDEX IF NOT EXISTS redeem_request_ids_by_time ON redeem_request_ids(accepted_at);
  `);
  migrateTenants(db);
}

const hasTenantColumn = (db: Database.Database, table: string): boolean =>
  db.prepare("SELECT 1 FROM pragma_table_info(?) WHERE name = 'tenant_id'").get(table) !== undefined;

/**
 * Stores written before business data had tenants: every existing member, template and code goes to tenant 1
 * (where the demo data and the demo applications always lived). Members are rebuilt for UNIQUE (tenant_id, email)
 * (SQLite cannot change a constraint in place), keeping their ids so redemptions still point at them.
 */
function migrateTenants(db: Database.Database): void {
  const tables = ["members", "coupon_templates", "redeem_codes"];
  if (tables.every((table) => hasTenantColumn(db, table))) return;
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      if (!hasTenantColumn(db, "coupon_templates"))
        db.exec("ALTER TABLE coupon_templates ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '1'");
      if (!hasTenantColumn(db, "redeem_codes"))
        db.exec("ALTER TABLE redeem_codes ADD COLUMN tenant_id TEXT NOT NULL DEFAULT '1'");
      if (!hasTenantColumn(db, "members")) {
        db.exec(`
          ${membersTable("members_by_tenant")};
          INSERT INTO members_by_tenant (id, tenant_id, email, nickname, created_at)
            SELECT id, '1', email, nickname, created_at FROM members;
          DROP TABLE members;
          ALTER TABLE members_by_tenant RENAME TO members;
        `);
      }
    }).immediate();
  } finally {
    db.pragma("foreign_keys = ON");
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

/** Creates the demo members, templates and codes that are missing; never touches existing rows. */
export function seedRedemptionDemo(db: Database.Database, now: number): void {
  const member = db.prepare(
    "INSERT OR IGNORE INTO members (tenant_id, email, nickname, created_at) VALUES (?, ?, ?, ?)",
  );
  const template = db.prepare(
    `INSERT OR IGNORE INTO coupon_templates (id, tenant_id, title, coupon_type, discount_type, discount_price,
       discount_percent, use_price_condition, valid_days, valid_start, valid_end)
     VALUES (@id, @tenant_id, @title, @coupon_type, @discount_type, @discount_price, @discount_percent,
       @use_price_condition, @valid_days, @valid_start, @valid_end)`,
  );
  const codeExists = db.prepare("SELECT 1 FROM redeem_codes WHERE code = ?").pluck();
  db.transaction(() => {
    for (const m of demoMembers) member.run(DEMO_TENANT, m.email, m.nickname, now);
    for (const t of demoTemplates) template.run({ ...t, tenant_id: DEMO_TENANT });
    for (const c of demoCodes) {
      if (codeExists.get(c.code)) continue;
      createCode(db, c, now);
      if (c.voided) voidCode(db, c.code, now);
    }
  })();
}

// ---------------------------------------------------------------------------------------------------------------
// Operations staff actions (used by the seed and the admin CLI)

export function createMember(
  db: Database.Database,
  member: { tenantId: string; email: string; nickname: string },
  now: number,
): number {
  const { tenantId, email, nickname } = member;
  if (email.trim() === "" || email !== email.trim()) {
    throw new Error(`member email "${email}" must be non-empty without surrounding spaces`);
  }
  const existing = db.prepare("SELECT id FROM members WHERE tenant_id = ? AND email = ?").pluck().get(tenantId, email);
  if (existing !== undefined) {
    throw new Error(`a member with email ${email} already exists in tenant ${tenantId} (id ${existing})`);
  }
  return Number(
    db
      .prepare("INSERT INTO members (tenant_id, email, nickname, created_at) VALUES (?, ?, ?, ?)")
      .run(tenantId, email, nickname, now).lastInsertRowid,
  );
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

export function createTemplate(db: Database.Database, t: TemplateSpec): number {
  if (t.discountType === 2 && (t.discountPercent === undefined || t.discountPercent === null)) {
    throw new Error("a percentage-off template (discount type 2) needs --percent, the share paid (70 = 30% off)");
  }
  const fixedStart = t.validStart === undefined ? null : parseCstOrThrow(t.validStart, "valid start");
  const fixedEnd = t.validEnd === undefined ? null : parseCstOrThrow(t.validEnd, "valid end");
  if (t.validDays === undefined && (fixedStart === null || fixedEnd === null)) {
    throw new Error("a template needs --valid-days N, or both --valid-start and --valid-end (yyyy-MM-dd HH:mm:ss)");
  }
  const info = db
    .prepare(
      `INSERT INTO coupon_templates (id, tenant_id, title, coupon_type, discount_type, discount_price,
         discount_percent, use_price_condition, valid_days, valid_start, valid_end)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      t.id ?? null,
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
    );
  return Number(info.lastInsertRowid);
}

function parseCstOrThrow(text: string, what: string): number {
  const ms = parseCst(text);
  if (ms === null) throw new Error(`${what} "${text}" is not a date-time in the form yyyy-MM-dd HH:mm:ss (CST)`);
  return ms;
}

export function createCode(db: Database.Database, c: CodeSpec, now: number): void {
  if (!/^[A-Za-z0-9_-]{4,64}$/.test(c.code)) {
    throw new Error(`redeem code "${c.code}" must be 4 to 64 letters, digits, "_" or "-"`);
  }
  if (c.templates.length === 0) throw new Error("a redeem code needs at least one template (--template ID[:WEIGHT])");
  const from = c.validFrom === undefined ? null : parseCstOrThrow(c.validFrom, "valid from");
  const to = c.validTo === undefined ? null : parseCstOrThrow(c.validTo, "valid to");
  if (from !== null && to !== null && from > to)
    throw new Error(`valid from ${c.validFrom} is after valid to ${c.validTo}`);
  const tenantId = c.tenantId ?? DEMO_TENANT;
  const templateTenant = db.prepare<[number], string>("SELECT tenant_id FROM coupon_templates WHERE id = ?").pluck();
  db.transaction(() => {
    if (db.prepare("SELECT 1 FROM redeem_codes WHERE code = ?").get(c.code)) {
      throw new Error(`redeem code ${c.code} already exists`);
    }
    db.prepare(
      `INSERT INTO redeem_codes (code, tenant_id, mode, valid_from, valid_to, per_member_limit, daily_limit,
         per_ip_daily_limit, quota, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
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
    );
    const bind = db.prepare("INSERT INTO redeem_code_templates (code, template_id, weight) VALUES (?, ?, ?)");
    for (const t of c.templates) {
      const owner = templateTenant.get(t.templateId);
      if (owner === undefined) throw new Error(`coupon template ${t.templateId} does not exist`);
      if (owner !== tenantId) {
        throw new Error(`coupon template ${t.templateId} belongs to tenant ${owner}, not to tenant ${tenantId}`);
      }
      if (!Number.isInteger(t.weight) || t.weight < 1)
        throw new Error(`template ${t.templateId}: weight must be a whole number >= 1`);
      bind.run(c.code, t.templateId, t.weight);
    }
  })();
}

export function voidCode(db: Database.Database, code: string, now: number): void {
  const changes = db
    .prepare("UPDATE redeem_codes SET voided_at = ? WHERE code = ? AND voided_at IS NULL")
    .run(now, code).changes;
  if (changes === 0) {
    const exists = db.prepare("SELECT 1 FROM redeem_codes WHERE code = ?").get(code);
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

interface CodeRow {
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

interface Pending {
  body: RequestBody<"redeemCouponCode">;
  ctx: RedeemContext;
  resolve: (result: BusinessResult<RedeemResult>) => void;
  reject: (error: unknown) => void;
}

type Outcome = { result: BusinessResult<RedeemResult> } | { error: unknown };

/**
 * Redemptions are committed in groups ("group commit"): the redemptions that arrive while the event loop is busy
 * are applied in one IMMEDIATE transaction, each inside its own savepoint, and share one COMMIT and one fsync of
 * the WAL, done off the event loop (store.ts DurableCommit), instead of one blocking fsync each. Every answer is
 * sent only after the fsync that covers its redemption, so nothing acknowledged can be lost, power loss included. Within a group the
 * redemptions run one after another in arrival order, exactly as separate transactions would: a business error
 * rolls back its own savepoint (requestId included) and nothing else; a repeated requestId in the same group is
 * refused by the primary key as across groups.
 */
export class Redemptions {
  private readonly statements;
  /** Made once: better-sqlite3's transaction wrapper costs 6-8 µs to build (it was built per redemption). */
  private readonly one;
  private readonly group;
  private queue: Pending[] = [];
  private readonly durable;

  constructor(db: Database.Database) {
    this.durable = new DurableCommit(db);
    // Nested in `group`, a better-sqlite3 transaction is a SAVEPOINT: a refusal rolls back this redemption only.
    this.one = db.transaction((body: RequestBody<"redeemCouponCode">, ctx: RedeemContext) =>
      this.redeemInTransaction(body, ctx),
    );
    this.group = db.transaction((batch: Pending[]): Outcome[] => batch.map((item) => this.settle(item)));
    this.statements = {
      // Claims the requestId: a new one is inserted, one older than its window is taken over (the running purge
      // drops the rest, retention.ts), one inside its window is left alone and changes nothing (a repeat).
      claimRequestId: db.prepare(
        `INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, app_id, request_id) DO UPDATE SET accepted_at = excluded.accepted_at,
           redemption_id = NULL WHERE redeem_request_ids.accepted_at <= ?`,
      ),
      memberByEmail: db.prepare<[string, string], { id: number; email: string }>(
        "SELECT id, email FROM members WHERE tenant_id = ? AND email = ?",
      ),
      code: db.prepare<[string, string], CodeRow>("SELECT * FROM redeem_codes WHERE code = ? AND tenant_id = ?"),
      countAll: db.prepare("SELECT COUNT(*) FROM redemptions WHERE code = ?").pluck(),
      countMember: db.prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND member_id = ?").pluck(),
      countDay: db.prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND cst_day = ?").pluck(),
      countDayIp: db
        .prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND cst_day = ? AND client_ip = ?")
        .pluck(),
      templates: db.prepare<[string], TemplateRow & { weight: number }>(
        `SELECT t.*, ct.weight FROM redeem_code_templates ct JOIN coupon_templates t ON t.id = ct.template_id
         WHERE ct.code = ? ORDER BY ct.rowid`,
      ),
      insertRedemption: db.prepare(
        `INSERT INTO redemptions (code, member_id, email, client_ip, app_id, tenant_id, request_id, cst_day,
           redeemed_at, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertCoupon: db.prepare(
        "INSERT INTO issued_coupons (redemption_id, member_id, template_id, valid_start, valid_end) VALUES (?, ?, ?, ?, ?)",
      ),
      linkRequestId: db.prepare(
        "UPDATE redeem_request_ids SET redemption_id = ? WHERE tenant_id = ? AND app_id = ? AND request_id = ?",
      ),
    };
  }

  redeem(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): Promise<BusinessResult<RedeemResult>> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, ctx, resolve, reject });
      if (this.queue.length === 1) setImmediate(this.flush);
    });
  }

  /** Commits the waiting redemptions as one group, then answers each (after COMMIT returned). */
  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    let outcomes: Outcome[];
    try {
      // IMMEDIATE takes the write lock first, so two processes on one file serialise here instead of failing
      // halfway with SQLITE_BUSY (which rejects the whole group: the server retries each request on timers).
      outcomes = this.durable.run(
        () => this.group.immediate(batch),
        (error) => {
          // Answered only once the group is durable (after the WAL's fsync).
          for (let i = 0; i < batch.length; i++) {
            const item = batch[i] as Pending;
            const outcome = outcomes[i] as Outcome;
            if (error) item.reject(error);
            else if ("result" in outcome) item.resolve(outcome.result);
            else item.reject(outcome.error);
          }
        },
      );
    } catch (error) {
      for (const item of batch) item.reject(error);
    }
  };

  /** One redemption inside the group's transaction; its failure stays its own. */
  private settle(item: Pending): Outcome {
    try {
      return { result: { ok: true, data: this.one(item.body, item.ctx) } };
    } catch (error) {
      if (error instanceof RedeemRefused) return { result: { ok: false, ...redeemErrors[error.key] } };
      return { error };
    }
  }

  private redeemInTransaction(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): RedeemResult {
    const s = this.statements;
    const now = ctx.now.getTime();
    if (
      body.requestId !== undefined &&
      s.claimRequestId.run(ctx.tenantId, ctx.appId, body.requestId, now, now - REQUEST_ID_WINDOW_MS).changes === 0
    ) {
      throw new RedeemRefused("REPEATED_REQUEST");
    }
    if (body.email.trim() === "") throw new RedeemRefused("MEMBER_EMAIL_REQUIRED");
    const member = s.memberByEmail.get(ctx.tenantId, body.email);
    if (member === undefined) throw new RedeemRefused("MEMBER_NOT_EXISTS");
    const code = s.code.get(body.code, ctx.tenantId);
    if (code === undefined) throw new RedeemRefused("REDEEM_CODE_NOT_EXISTS");
    if (code.voided_at !== null) throw new RedeemRefused("REDEEM_CODE_VOIDED");
    if (code.valid_from !== null && now < code.valid_from) throw new RedeemRefused("REDEEM_CODE_NOT_STARTED");
    if (code.valid_to !== null && now > code.valid_to) throw new RedeemRefused("REDEEM_CODE_EXPIRED");
    const day = cstDay(now);
    if (code.quota > 0 && Number(s.countAll.get(code.code)) >= code.quota)
      throw new RedeemRefused("REDEEM_CODE_QUOTA_EXHAUSTED");
    if (code.per_member_limit > 0 && Number(s.countMember.get(code.code, member.id)) >= code.per_member_limit) {
      throw new RedeemRefused("REDEEM_CODE_MEMBER_LIMIT");
    }
    if (code.daily_limit > 0 && Number(s.countDay.get(code.code, day)) >= code.daily_limit) {
      throw new RedeemRefused("REDEEM_CODE_DAILY_LIMIT");
    }
    if (
      code.per_ip_daily_limit > 0 &&
      Number(s.countDayIp.get(code.code, day, ctx.clientIp)) >= code.per_ip_daily_limit
    ) {
      throw new RedeemRefused("REDEEM_CODE_IP_LIMIT");
    }
    const bound = s.templates.all(code.code);
    if (bound.length === 0)
      throw new Error(`redeem code ${code.code} has no coupon templates: bind one with the admin CLI`);
    const chosen = code.mode === "all" ? bound : [pickWeighted(bound)];
    const coupons = chosen.map((t) => issuedCoupon(t, now));
    const result: RedeemResult = {
      code: code.code,
      email: member.email,
      prize: prizeText(coupons),
      success: true,
      message: `兑换成功,共获得 ${coupons.length} 张优惠券`,
      coupons,
    };
    const redemptionId = Number(
      s.insertRedemption.run(
        code.code,
        member.id,
        member.email,
        ctx.clientIp,
        ctx.appId,
        ctx.tenantId,
        body.requestId ?? null,
        day,
        now,
        // Only what the admin CLI's redemption list reads (the prize text), not the whole answer: ~80 bytes a row
        // instead of ~800. The coupons themselves are rows of issued_coupons.
        JSON.stringify({ prize: result.prize }),
      ).lastInsertRowid,
    );
    for (const c of coupons)
      s.insertCoupon.run(redemptionId, member.id, c.templateId, c.validStartTime, c.validEndTime);
    if (body.requestId !== undefined) s.linkRequestId.run(redemptionId, ctx.tenantId, ctx.appId, body.requestId);
    return result;
  }
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
