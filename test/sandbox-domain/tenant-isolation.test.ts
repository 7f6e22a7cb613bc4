// Finding 6 of the hardening review: business data belongs to one tenant. Members, templates, redeem codes,
// redemptions and every limit of a code are tenant 1's or tenant 2's, never shared; the admin CLI creates them
// with --tenant; a store written before tenants existed keeps working (its data becomes tenant 1's).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { admin, adminFails, createApp } from "../sandbox/admin.ts";
import { bearer, call, demo, specChecker, token } from "../sandbox/sandbox-client.ts";

const REDEEM = "/open-api/promotion/redeem-code/redeem";
const conforms = specChecker();
const dir = mkdtempSync(join(tmpdir(), "sandbox-tenants-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("business data per tenant", () => {
  const dbPath = join(dir, "tenants.db");
  let sandbox: Awaited<ReturnType<typeof startSandbox>>;
  let redeemAs: (tenant: "1" | "2", body: unknown) => Promise<{ code: number; data: unknown; msg: string }>;

  beforeAll(async () => {
    sandbox = await startSandbox({ dbPath });
    const tenant2 = await createApp(dbPath, "promotion:redeem-code:redeem", "2");
    const auth = {
      "1": bearer(await token(sandbox.baseUrl, demo)),
      "2": bearer(await token(sandbox.baseUrl, tenant2)),
    };
    redeemAs = async (tenant, body) => {
      const answer = await call(sandbox.baseUrl, REDEEM, body, { ...auth[tenant], "tenant-id": tenant });
      expect(conforms(REDEEM, answer)).toBeUndefined();
      return answer.body;
    };
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it("another tenant's members do not exist for a caller, and its codes do not either", async () => {
    // Tenant 1's member is unknown to tenant 2 (exactly as an unknown email: nothing tells it exists).
    expect(await redeemAs("2", { code: "E602F4DC626E4948", email: "member@example.com" })).toMatchObject({
      code: 1004001000,
    });
    expect(await redeemAs("2", { code: "E602F4DC626E4948", email: "nobody@example.com" })).toMatchObject({
      code: 1004001000,
    });
    // The same email may be a member of tenant 2 as well; tenant 1's codes still do not exist there.
    await admin(dbPath, "create-member", "--tenant", "2", "--email", "member@example.com");
    expect(await redeemAs("2", { code: "DEMO-QUOTA-3", email: "member@example.com" })).toMatchObject({
      code: 1013020000,
    });
    expect(await redeemAs("2", { code: "E602F4DC626E4948", email: "member@example.com" })).toMatchObject({
      code: 1013020000,
    });
    expect(await admin(dbPath, "list-members", "--tenant", "2")).not.toContain("buyer@example.com");
  });

  it("a tenant's code, template, quota and limits are its own", async () => {
    await admin(
      dbPath,
      "create-template",
      "--tenant",
      "2",
      "--id",
      "7002",
      "--title",
      "T2 five off",
      "--coupon-type",
      "1",
      "--discount-type",
      "1",
      "--price",
      "500",
      "--valid-days",
      "7",
    );
    expect(await adminFails(dbPath, "create-code", "--tenant", "2", "--code", "T2-X", "--template", "1001")).toMatch(
      /coupon template 1001 belongs to tenant 1, not to tenant 2/,
    );
    await admin(dbPath, "create-code", "--tenant", "2", "--code", "T2-QUOTA-1", "--template", "7002", "--quota", "1");
    expect(await redeemAs("1", { code: "T2-QUOTA-1", email: "member@example.com" })).toMatchObject({
      code: 1013020000,
    });
    expect(await redeemAs("2", { code: "T2-QUOTA-1", email: "member@example.com" })).toMatchObject({ code: 0 });
    expect(await redeemAs("2", { code: "T2-QUOTA-1", email: "member@example.com" })).toMatchObject({
      code: 1013020007,
    });
    // Tenant 1's quota code is untouched by anything tenant 2 did.
    expect(await redeemAs("1", { code: "DEMO-QUOTA-3", email: "member@example.com" })).toMatchObject({ code: 0 });
    expect(await admin(dbPath, "list-redemptions", "--tenant", "1")).not.toContain("T2-QUOTA-1");
    expect(await admin(dbPath, "list-codes", "--tenant", "2")).toMatch(/T2-QUOTA-1\s+2\s/);
  });

  it("the create commands require --tenant", async () => {
    expect(await adminFails(dbPath, "create-member", "--email", "x@example.com")).toMatch(/--tenant is required/);
    expect(await adminFails(dbPath, "create-code", "--template", "1001")).toMatch(/--tenant is required/);
  });
});

describe("a store written before tenants", () => {
  it("is migrated: its members, templates and codes become tenant 1's and keep working", async () => {
    const dbPath = join(dir, "legacy.db");
    const legacy = new Database(dbPath);
    legacy.pragma("journal_mode = WAL");
    // The schema of these three tables before tenants (mock/sandbox/domain/redemption.ts at commit 0be60b3).
    legacy.exec(`
      CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL);
      CREATE TABLE coupon_templates (id INTEGER PRIMARY KEY, title TEXT NOT NULL,
        coupon_type INTEGER NOT NULL CHECK (coupon_type IN (1, 2, 3)), discount_type INTEGER NOT NULL CHECK (discount_type IN (1, 2)),
        discount_price INTEGER NOT NULL DEFAULT 0 CHECK (discount_price >= 0), discount_percent INTEGER CHECK (discount_percent BETWEEN 1 AND 99),
        use_price_condition INTEGER NOT NULL DEFAULT 0 CHECK (use_price_condition >= 0), valid_days INTEGER CHECK (valid_days > 0),
        valid_start INTEGER, valid_end INTEGER,
        CHECK (valid_days IS NOT NULL OR (valid_start IS NOT NULL AND valid_end IS NOT NULL)));
      CREATE TABLE redeem_codes (code TEXT PRIMARY KEY, mode TEXT NOT NULL DEFAULT 'random' CHECK (mode IN ('random', 'all')),
        valid_from INTEGER, valid_to INTEGER, voided_at INTEGER, per_member_limit INTEGER NOT NULL DEFAULT 0,
        daily_limit INTEGER NOT NULL DEFAULT 0, per_ip_daily_limit INTEGER NOT NULL DEFAULT 0, quota INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL);
      CREATE TABLE redeem_code_templates (code TEXT NOT NULL REFERENCES redeem_codes(code),
        template_id INTEGER NOT NULL REFERENCES coupon_templates(id), weight INTEGER NOT NULL CHECK (weight > 0),
        PRIMARY KEY (code, template_id));
      INSERT INTO members (id, email, nickname, created_at) VALUES (41, 'legacy@example.com', 'Legacy', 0);
      INSERT INTO coupon_templates (id, title, coupon_type, discount_type, discount_price, valid_days)
        VALUES (5001, 'Legacy five off', 1, 1, 500, 7);
      INSERT INTO redeem_codes (code, created_at) VALUES ('LEGACY-CODE', 0);
      INSERT INTO redeem_code_templates (code, template_id, weight) VALUES ('LEGACY-CODE', 5001, 1);
    `);
    legacy.close();

    const sandbox = await startSandbox({ dbPath });
    try {
      const auth = bearer(await token(sandbox.baseUrl, demo));
      const answer = await call(sandbox.baseUrl, REDEEM, { code: "LEGACY-CODE", email: "legacy@example.com" }, auth);
      expect(answer.body).toMatchObject({ code: 0, data: { prize: "$5 OFF", email: "legacy@example.com" } });
      expect(await admin(dbPath, "list-members", "--tenant", "1")).toMatch(/41\s+1\s+legacy@example.com/);
      // The demo data was seeded next to it, in tenant 1.
      const demoAnswer = await call(
        sandbox.baseUrl,
        REDEEM,
        { code: "DEMO-BUNDLE", email: "member@example.com" },
        auth,
      );
      expect(demoAnswer.body.code).toBe(0);
    } finally {
      await sandbox.stop();
    }
  });
});
