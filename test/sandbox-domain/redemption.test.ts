// Redemption rules, called directly on each store engine: SQLite (in memory, or a file where restarts matter) and
// a PostgreSQL database of the run's cluster.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { domainAdminCommands } from "../../mock/sandbox/domain/admin-commands.ts";
import { type Domain, installDomain } from "../../mock/sandbox/domain/index.ts";
import { formatCst, parseCst } from "../../mock/sandbox/domain/platform-time.ts";
import { type IssuedCoupon, pickWeighted, prizeOf, prizeText } from "../../mock/sandbox/domain/redemption.ts";
import { SqliteRedeemer } from "../../mock/sandbox/domain/sqlite-redemptions.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import type { SqliteStore } from "../../mock/sandbox/sqlite-engine.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { loadBundledSpec } from "../helpers.ts";
import { engines, storeLocation } from "../sandbox/stores.ts";
import { createSpecValidator } from "../spec/spec-ajv.ts";

const spec = loadBundledSpec();
const validator = createSpecValidator(spec);
const businessError = (key: string) => {
  const entry = spec.paths["/open-api/promotion/redeem-code/redeem"].post["x-business-errors"].find(
    (e: { key: string }) => e.key === key,
  );
  return { ok: false, code: entry.code, msg: entry.message };
};

const NOW = new Date((parseCst("2026-11-22 10:00:00") as number) + 0);
const ctx = (over: Partial<{ appId: string; tenantId: string; clientIp: string; now: Date }> = {}) => ({
  appId: "sandbox-demo",
  tenantId: "1",
  clientIp: "127.0.0.1",
  now: NOW,
  ...over,
});
const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);

const demo = { code: "E602F4DC626E4948", email: "member@example.com" };
const open = async (location: string) => {
  const store = await openStore(location, { report: () => undefined });
  return { store, domain: await installDomain(store) };
};

describe.each(engines)("redemption on %s", (engine) => {
  let store: StoreEngine;
  let domain: Domain;
  beforeEach(async () => {
    ({ store, domain } = await open(await storeLocation(engine)));
  });
  afterEach(() => store.close());

  const redeem = async (body: { code: string; email: string; requestId?: string }, c = ctx()) =>
    await domain.redeem(body, c);
  const admin = async (name: string, ...args: string[]) => {
    const command = domainAdminCommands[name];
    if (!command) throw new Error(`no admin command ${name}`);
    return command.run(store.sql, args);
  };
  const count = async (sql: string) => Number(Object.values((await store.sql.get(sql)) as object)[0]);

  describe("redeeming the demo code", () => {
    it("issues one coupon of a bound template, valid against the spec, with the prize of that template", async () => {
      const answer = await redeem({ ...demo, requestId: "REQ-1" });
      if (!answer.ok) throw new Error(answer.msg);
      expect(validator.validate(spec.components.schemas.RedeemResult, answer.data)).toEqual([]);
      expect(answer.data).toMatchObject({
        code: demo.code,
        email: demo.email,
        success: true,
        message: "兑换成功,共获得 1 张优惠券",
      });
      expect(answer.data.coupons).toHaveLength(1);
      const coupon = answer.data.coupons[0] as IssuedCoupon;
      expect([1001, 1002]).toContain(coupon.templateId);
      expect(answer.data.prize).toBe(coupon.templateId === 1001 ? "$10 OFF" : "30% OFF");
      expect(coupon.validStartTime).toBe("2026-11-22 10:00:00");
    });

    it("picks templates by weight (3:1), at random", async () => {
      const counts = new Map<number, number>();
      for (let i = 0; i < 400; i++) {
        const answer = await redeem(demo);
        if (!answer.ok) throw new Error(answer.msg);
        const id = answer.data.coupons[0]?.templateId as number;
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const heavy = counts.get(1001) ?? 0;
      expect(heavy + (counts.get(1002) ?? 0)).toBe(400);
      // 3:1 gives 300 expected; 240..360 is more than 7 standard deviations wide.
      expect(heavy).toBeGreaterThan(240);
      expect(heavy).toBeLessThan(360);
    });

    it("maps each ticket of the weighted draw to the right template", () => {
      const bound = [
        { id: 1001, weight: 3 },
        { id: 1002, weight: 1 },
      ];
      expect([0, 1, 2, 3].map((ticket) => pickWeighted(bound, () => ticket).id)).toEqual([1001, 1001, 1001, 1002]);
      expect(() => pickWeighted(bound, () => 4)).toThrow(/out of range/);
    });

    it('issues every template of an "all" code, prizes comma-separated with the title fallback', async () => {
      const answer = await redeem({ code: "DEMO-BUNDLE", email: "buyer@example.com" });
      if (!answer.ok) throw new Error(answer.msg);
      expect(answer.data.prize).toBe("30% OFF, $5 OFF, 包邮券");
      expect(answer.data.message).toBe("兑换成功,共获得 3 张优惠券");
      expect(answer.data.coupons.map((c) => c.templateId)).toEqual([1002, 1004, 1003]);
      expect(answer.data.coupons[0]?.discountPercent).toBe(70);
      expect(answer.data.coupons[1]?.discountPercent).toBeNull();
    });
  });

  describe("prize text", () => {
    const coupon = (over: Partial<IssuedCoupon>): IssuedCoupon => ({
      templateId: 1,
      title: "T",
      couponType: 2,
      discountType: 1,
      discountPrice: 0,
      discountPercent: null,
      usePriceCondition: 0,
      validStartTime: "2026-06-01 00:00:00",
      validEndTime: "2026-06-30 23:59:59",
      ...over,
    });
    it("formats percentages, dollars from cents, and falls back to the title", () => {
      expect(prizeOf(coupon({ discountType: 2, discountPercent: 70 }))).toBe("30% OFF");
      expect(prizeOf(coupon({ discountType: 2, discountPercent: 95 }))).toBe("5% OFF");
      expect(prizeOf(coupon({ discountPrice: 1000 }))).toBe("$10 OFF");
      expect(prizeOf(coupon({ discountPrice: 1050 }))).toBe("$10.50 OFF");
      expect(prizeOf(coupon({ discountPrice: 5 }))).toBe("$0.05 OFF");
      expect(prizeOf(coupon({ title: "包邮券" }))).toBe("包邮券");
      expect(prizeOf(coupon({ discountType: 2, discountPercent: null, title: "Mystery" }))).toBe("Mystery");
      expect(prizeText([coupon({ discountPrice: 1000 }), coupon({ discountType: 2, discountPercent: 80 })])).toBe(
        "$10 OFF, 20% OFF",
      );
    });
  });

  describe("members", () => {
    it("requires an email, and matches members by exact email only", async () => {
      expect(await redeem({ ...demo, email: "" })).toEqual(businessError("MEMBER_EMAIL_REQUIRED"));
      expect(await redeem({ ...demo, email: "   " })).toEqual(businessError("MEMBER_EMAIL_REQUIRED"));
      expect(await redeem({ ...demo, email: "nobody@example.com" })).toEqual(businessError("MEMBER_NOT_EXISTS"));
      expect(await redeem({ ...demo, email: "MEMBER@example.com" })).toEqual(businessError("MEMBER_NOT_EXISTS"));
      expect(await redeem({ ...demo, email: " member@example.com" })).toEqual(businessError("MEMBER_NOT_EXISTS"));
    });

    it("never creates a member", async () => {
      const before = await count("SELECT COUNT(*) AS n FROM members");
      await redeem({ ...demo, email: "new@example.com" });
      expect(await count("SELECT COUNT(*) AS n FROM members")).toBe(before);
    });
  });

  describe("code rules, each with its own business code", () => {
    it("refuses unknown, not yet valid, expired and voided codes", async () => {
      expect(await redeem({ ...demo, code: "NO-SUCH-CODE" })).toEqual(businessError("REDEEM_CODE_NOT_EXISTS"));
      expect(await redeem({ ...demo, code: "e602f4dc626e4948" })).toEqual(businessError("REDEEM_CODE_NOT_EXISTS"));
      expect(await redeem({ ...demo, code: "DEMO-NOT-STARTED" })).toEqual(businessError("REDEEM_CODE_NOT_STARTED"));
      expect(await redeem({ ...demo, code: "DEMO-EXPIRED" })).toEqual(businessError("REDEEM_CODE_EXPIRED"));
      expect(await redeem({ ...demo, code: "DEMO-VOIDED" })).toEqual(businessError("REDEEM_CODE_VOIDED"));
    });

    it("honours the validity window to the second", async () => {
      await admin(
        "create-code",
        "--tenant",
        "1",
        "--code",
        "WINDOW",
        "--template",
        "1001",
        "--valid-from",
        "2026-11-22 10:00:00",
        "--valid-to",
        "2026-11-22 10:30:00",
      );
      expect(await redeem({ ...demo, code: "WINDOW" }, ctx({ now: new Date(NOW.getTime() - 1000) }))).toEqual(
        businessError("REDEEM_CODE_NOT_STARTED"),
      );
      expect((await redeem({ ...demo, code: "WINDOW" })).ok).toBe(true);
      expect((await redeem({ ...demo, code: "WINDOW" }, ctx({ now: at(30) }))).ok).toBe(true);
      expect(await redeem({ ...demo, code: "WINDOW" }, ctx({ now: new Date(at(30).getTime() + 1000) }))).toEqual(
        businessError("REDEEM_CODE_EXPIRED"),
      );
    });

    it("limits redemptions per member", async () => {
      const code = "DEMO-ONCE-PER-MEMBER";
      expect((await redeem({ ...demo, code })).ok).toBe(true);
      expect(await redeem({ ...demo, code })).toEqual(businessError("REDEEM_CODE_MEMBER_LIMIT"));
      expect((await redeem({ code, email: "buyer@example.com" })).ok).toBe(true);
    });

    it("limits redemptions per CST day, and resets at CST midnight", async () => {
      const code = "DEMO-DAILY-2";
      expect((await redeem({ ...demo, code })).ok).toBe(true);
      expect((await redeem({ code, email: "buyer@example.com" })).ok).toBe(true);
      expect(await redeem({ code, email: "vip@example.com" })).toEqual(businessError("REDEEM_CODE_DAILY_LIMIT"));
      // 2026-11-22 23:59:59 CST is still the same day; one second later is the next.
      const lastSecond = new Date(parseCst("2026-11-22 23:59:59") as number);
      expect(await redeem({ code, email: "vip@example.com" }, ctx({ now: lastSecond }))).toEqual(
        businessError("REDEEM_CODE_DAILY_LIMIT"),
      );
      expect(
        (await redeem({ code, email: "vip@example.com" }, ctx({ now: new Date(lastSecond.getTime() + 1000) }))).ok,
      ).toBe(true);
    });

    it("limits redemptions per IP and day", async () => {
      const code = "DEMO-IP-1";
      expect((await redeem({ ...demo, code }, ctx({ clientIp: "203.0.113.7" }))).ok).toBe(true);
      expect(await redeem({ code, email: "buyer@example.com" }, ctx({ clientIp: "203.0.113.7" }))).toEqual(
        businessError("REDEEM_CODE_IP_LIMIT"),
      );
      expect((await redeem({ code, email: "buyer@example.com" }, ctx({ clientIp: "203.0.113.8" }))).ok).toBe(true);
    });

    it("stops at the total quota", async () => {
      const code = "DEMO-QUOTA-3";
      for (let i = 0; i < 3; i++)
        expect((await redeem({ ...demo, code }, ctx({ now: at(i * 24 * 60) }))).ok).toBe(true);
      expect(await redeem({ ...demo, code }, ctx({ now: at(5 * 24 * 60) }))).toEqual(
        businessError("REDEEM_CODE_QUOTA_EXHAUSTED"),
      );
    });

    it("refuses a code voided by operations from then on", async () => {
      expect((await redeem(demo)).ok).toBe(true);
      await admin("void-code", "--code", demo.code);
      expect(await redeem(demo)).toEqual(businessError("REDEEM_CODE_VOIDED"));
      await expect(admin("void-code", "--code", demo.code)).rejects.toThrow(/already voided/);
    });
  });

  describe("requestId idempotency", () => {
    it("processes a requestId once within 10 minutes and issues nothing for the duplicate", async () => {
      const coupons = () => count("SELECT COUNT(*) AS n FROM issued_coupons");
      expect((await redeem({ ...demo, requestId: "R-1" })).ok).toBe(true);
      expect(await coupons()).toBe(1);
      expect(await redeem({ ...demo, requestId: "R-1" }, ctx({ now: at(9.99) }))).toEqual(
        businessError("REPEATED_REQUEST"),
      );
      expect(await coupons()).toBe(1);
      // The window is the guide's 10 minutes; after it the same requestId is a new request.
      expect((await redeem({ ...demo, requestId: "R-1" }, ctx({ now: at(10) }))).ok).toBe(true);
      expect(await coupons()).toBe(2);
    });

    it("answers a repeat 900 even when a rule would now refuse it (the requestId is judged first)", async () => {
      const once = { code: "DEMO-ONCE-PER-MEMBER", email: demo.email };
      expect((await redeem({ ...once, requestId: "R-5" })).ok).toBe(true);
      expect(await redeem({ ...once, requestId: "R-5" })).toEqual(businessError("REPEATED_REQUEST"));
      expect(await redeem({ ...once, requestId: "R-6" })).toEqual(businessError("REDEEM_CODE_MEMBER_LIMIT"));
      expect(await redeem({ ...once, email: " ", requestId: "R-5" })).toEqual(businessError("REPEATED_REQUEST"));
    });

    it("scopes requestIds to the calling application", async () => {
      expect((await redeem({ ...demo, requestId: "R-2" })).ok).toBe(true);
      expect((await redeem({ ...demo, requestId: "R-2" }, ctx({ appId: "another-app" }))).ok).toBe(true);
    });

    it("does not burn a requestId on a business error, so a corrected retry is processed", async () => {
      expect(await redeem({ ...demo, email: "typo@example.com", requestId: "R-3" })).toEqual(
        businessError("MEMBER_NOT_EXISTS"),
      );
      expect((await redeem({ ...demo, requestId: "R-3" })).ok).toBe(true);
      expect(await redeem({ ...demo, requestId: "R-3" })).toEqual(businessError("REPEATED_REQUEST"));
    });

    it("remembers requestIds across a restart of the store, and seeds only once", async () => {
      const dir = mkdtempSync(join(tmpdir(), "sandbox-domain-"));
      try {
        const location = await storeLocation(engine, join(dir, "store.db"));
        const first = await open(location);
        expect((await first.domain.redeem({ ...demo, requestId: "R-4" }, ctx())).ok).toBe(true);
        await first.store.close();
        const second = await open(location);
        expect(await second.domain.redeem({ ...demo, requestId: "R-4" }, ctx({ now: at(5) }))).toEqual(
          businessError("REPEATED_REQUEST"),
        );
        const codes = await second.store.sql.get<{ n: number }>(
          "SELECT COUNT(*) AS n FROM redeem_codes WHERE code = ?",
          [demo.code],
        );
        expect(Number(codes?.n)).toBe(1);
        if (engine === "sqlite") expect(await second.store.sql.get("PRAGMA synchronous")).toEqual({ synchronous: 2 }); // FULL
        await second.store.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe("admin commands", () => {
    it("creates members, templates and codes that the API then honours", async () => {
      expect(
        await admin("create-member", "--tenant", "1", "--email", "partner-test@example.com", "--nickname", "QA"),
      ).toMatch(/created/);
      await expect(admin("create-member", "--tenant", "1", "--email", "partner-test@example.com")).rejects.toThrow(
        /already exists/,
      );
      expect(await admin("list-members")).toContain("partner-test@example.com");
      expect(
        await admin(
          "create-template",
          "--tenant",
          "1",
          "--id",
          "2001",
          "--title",
          "Ten percent",
          "--coupon-type",
          "3",
          "--discount-type",
          "2",
          "--percent",
          "90",
          "--valid-days",
          "7",
        ),
      ).toMatch(/2001/);
      expect(
        await admin(
          "create-code",
          "--tenant",
          "1",
          "--code",
          "QA-CODE-1",
          "--template",
          "2001:2",
          "--template",
          "1001",
          "--per-member",
          "1",
        ),
      ).toMatch(/QA-CODE-1/);
      const answer = await redeem({ code: "QA-CODE-1", email: "partner-test@example.com", requestId: "QA-1" });
      expect(answer.ok).toBe(true);
      expect(await admin("list-codes")).toMatch(/QA-CODE-1\s+1\s+random\s+2001:2 1001:1/);
      const listing = await admin("list-redemptions", "--code", "QA-CODE-1");
      expect(listing).toContain("partner-test@example.com");
      expect(listing).toContain("QA-1");
      expect(await admin("list-redemptions", "--code", "NONE")).toBe("(none)");
    });

    it("generates a 16-character code when none is given", async () => {
      expect(await admin("create-code", "--tenant", "1", "--template", "1001")).toMatch(
        /^redeem code [0-9A-F]{16} created in tenant 1$/,
      );
    });

    it("says what was wrong with bad input", async () => {
      await expect(admin("create-code", "--tenant", "1", "--code", "XX-1")).rejects.toThrow(/at least one template/);
      await expect(admin("create-code", "--tenant", "1", "--code", "QA-2", "--template", "9999")).rejects.toThrow(
        /template 9999 does not exist/,
      );
      await expect(
        admin("create-code", "--tenant", "1", "--code", "QA-3", "--template", "1001", "--valid-from", "tomorrow"),
      ).rejects.toThrow(/yyyy-MM-dd HH:mm:ss/);
      await expect(
        admin("create-code", "--tenant", "1", "--code", "QA-4", "--template", "1001", "--daily", "-1"),
      ).rejects.toThrow(/--daily needs a value/);
      await expect(admin("create-code", "--bogus", "1")).rejects.toThrow(/unknown option --bogus/);
      await expect(admin("void-code", "--code", "NOPE")).rejects.toThrow(/does not exist/);
      // A failed create leaves nothing behind.
      expect(await count("SELECT COUNT(*) AS n FROM redeem_codes WHERE code = 'QA-2'")).toBe(0);
    });
  });

  // SQLite commits the redemptions of one event-loop turn as a group, in arrival order (sqlite-redemptions.ts).
  describe.runIf(engine === "sqlite")("redemptions committed in one group", () => {
    it("answer each as separate transactions would: a refusal touches nothing else, a repeated requestId is refused", async () => {
      const answers = await Promise.all([
        redeem({ ...demo, requestId: "G-1" }),
        redeem({ ...demo, email: "nobody@example.com", requestId: "G-2" }),
        redeem({ ...demo, requestId: "G-1" }),
        redeem({ ...demo, requestId: "G-2" }),
      ]);
      expect(answers.map((a) => a.ok)).toEqual([true, false, false, true]);
      expect(answers[1]).toEqual(businessError("MEMBER_NOT_EXISTS"));
      expect(answers[2]).toEqual(businessError("REPEATED_REQUEST"));
      expect(await store.sql.all("SELECT request_id FROM redemptions ORDER BY id")).toEqual([
        { request_id: "G-1" },
        { request_id: "G-2" },
      ]);
      expect(await count("SELECT COUNT(*) AS n FROM issued_coupons")).toBe(2);
    });

    it("keep a write that fails halfway to its own redemption: the group runs again, each in a savepoint", async () => {
      // The second redemption fails at its coupon, after its requestId claim and its redemption row were written.
      await store.sql.exec(`CREATE TRIGGER refuse_buyer BEFORE INSERT ON issued_coupons
        WHEN NEW.member_id = (SELECT id FROM members WHERE email = 'buyer@example.com')
        BEGIN SELECT RAISE(ABORT, 'coupon write failed'); END`);
      const answers = await Promise.allSettled([
        redeem({ ...demo, requestId: "H-1" }),
        redeem({ ...demo, email: "buyer@example.com", requestId: "H-2" }),
        redeem({ ...demo, requestId: "H-3" }),
        redeem({ ...demo, requestId: "H-1" }),
      ]);
      expect(answers.map((a) => a.status)).toEqual(["fulfilled", "rejected", "fulfilled", "fulfilled"]);
      expect(String((answers[1] as PromiseRejectedResult).reason)).toMatch(/coupon write failed/);
      expect((answers[3] as PromiseFulfilledResult<unknown>).value).toEqual(businessError("REPEATED_REQUEST"));
      expect(await store.sql.all("SELECT request_id FROM redemptions ORDER BY id")).toEqual([
        { request_id: "H-1" },
        { request_id: "H-3" },
      ]);
      expect(await count("SELECT COUNT(*) AS n FROM issued_coupons")).toBe(2);
      // The failed requestId was not kept: once the cause is gone, a retry is processed.
      await store.sql.exec("DROP TRIGGER refuse_buyer");
      expect((await redeem({ ...demo, email: "buyer@example.com", requestId: "H-2" })).ok).toBe(true);
    });
  });

  // On a file, one group's fsync runs at a time: the redemptions that arrive meanwhile wait and form the next group.
  describe.runIf(engine === "sqlite")("redemption groups on a file", () => {
    it("answer what arrives during a group's fsync in the next group, and a group refused at BEGIN holds up none", async () => {
      const dir = mkdtempSync(join(tmpdir(), "rizzit-groups-"));
      const file = await open(join(dir, "store.db"));
      const holder = new Database(join(dir, "store.db"));
      try {
        (file.store as SqliteStore).startServing();
        const first = [1, 2, 3].map((i) => file.domain.redeem({ ...demo, requestId: `F-${i}` }, ctx()));
        // The first group is committed in the next turn; these arrive while its fsync runs.
        await new Promise((resume) => setImmediate(resume));
        const waiting = [4, 5, 6].map((i) => file.domain.redeem({ ...demo, requestId: `F-${i}` }, ctx()));
        expect((await Promise.all([...first, ...waiting])).map((a) => a.ok)).toEqual([
          true,
          true,
          true,
          true,
          true,
          true,
        ]);
        // Another connection holds the write lock: the group fails before its fsync (busy, retried by the server).
        holder.exec("BEGIN IMMEDIATE");
        await expect(file.domain.redeem({ ...demo, requestId: "F-7" }, ctx())).rejects.toThrow(/locked|busy/i);
        holder.exec("ROLLBACK");
        // The next redemption is committed: a failed group does not leave the redeemer waiting for its fsync.
        expect((await file.domain.redeem({ ...demo, requestId: "F-7" }, ctx())).ok).toBe(true);
        expect(Number(holder.prepare("SELECT COUNT(*) FROM redemptions").pluck().get())).toBe(7);
      } finally {
        holder.close();
        await file.store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe.runIf(engine === "sqlite")("a redemption group", () => {
    const turn = () => new Promise((resume) => setImmediate(resume));

    it("takes the redemptions that keep arriving turn after turn, up to its limit, then commits", async () => {
      const dir = mkdtempSync(join(tmpdir(), "rizzit-gather-"));
      const file = await open(join(dir, "store.db"));
      try {
        const sqlite = file.store as SqliteStore;
        sqlite.startServing();
        const redeemer = new SqliteRedeemer(sqlite.db as Database.Database, sqlite.sql, {
          gatherMs: 60_000,
          groupMax: 4,
        });
        const redeem = (id: string) => redeemer.redeem({ ...demo, requestId: id }, ctx());
        // One redemption a turn for three turns: one group, committed at the first turn that brought none.
        const spread = [redeem("G-1")];
        await turn();
        spread.push(redeem("G-2"));
        await turn();
        spread.push(redeem("G-3"));
        expect((await Promise.all(spread)).every((answer) => answer.ok)).toBe(true);
        expect([redeemer.groups, redeemer.redeemed]).toEqual([1, 3]);
        // Arrivals that never stop: a group is committed at its limit (4), the rest form the next.
        const stream: Promise<unknown>[] = [];
        for (let i = 1; i <= 6; i++) {
          stream.push(redeem(`S-${i}`));
          await turn();
        }
        await Promise.all(stream);
        expect([redeemer.groups, redeemer.redeemed]).toEqual([3, 9]);
        // Its time limit: with none, a group waits no turn at all and each redemption commits alone.
        const hasty = new SqliteRedeemer(sqlite.db as Database.Database, sqlite.sql, { gatherMs: 0, groupMax: 256 });
        await hasty.redeem({ ...demo, requestId: "T-1" }, ctx());
        await hasty.redeem({ ...demo, requestId: "T-2" }, ctx());
        expect([hasty.groups, hasty.redeemed]).toEqual([2, 2]);
      } finally {
        await file.store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  // SQLite holds the claims in memory, read back from the redemption rows (sqlite-redemptions.ts).
  describe.runIf(engine === "sqlite")("requestId claims held in memory", () => {
    /** A store file of the test's own, removed when it finishes. */
    const storeFile = () => {
      const dir = mkdtempSync(join(tmpdir(), "rizzit-claims-"));
      onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
      return join(dir, "store.db");
    };
    const redeemerOf = (file: { store: StoreEngine }, claimsCapacity?: number) => {
      const sqlite = file.store as SqliteStore;
      return new SqliteRedeemer(sqlite.db as Database.Database, sqlite.sql, {
        gatherMs: 2,
        groupMax: 256,
        claimsCapacity,
      });
    };
    const outcomes = async (redeemer: SqliteRedeemer, ids: string[], c = ctx()) =>
      (await Promise.all(ids.map((id) => redeemer.redeem({ ...demo, requestId: id }, c)))).map((a) =>
        a.ok ? "ok" : a.code,
      );
    const tableClaims = (file: { store: StoreEngine }) =>
      file.store.sql.all("SELECT request_id FROM redeem_request_ids ORDER BY request_id");

    it("are known to another process on the same file, written before its next group", async () => {
      const path = storeFile();
      const [a, b] = [await open(path), await open(path)];
      try {
        expect(await outcomes(redeemerOf(a), ["P-1"])).toEqual(["ok"]);
        const other = redeemerOf(b);
        expect(await outcomes(other, ["P-2"])).toEqual(["ok"]);
        // Written by the first process after the other's first group: read in the other's next group.
        expect(await outcomes(redeemerOf(a), ["P-3"])).toEqual(["ok"]);
        expect(await outcomes(other, ["P-1", "P-3", "P-2", "P-4"])).toEqual([900, 900, 900, "ok"]);
        expect(await tableClaims(a)).toEqual([]);
      } finally {
        await a.store.close();
        await b.store.close();
      }
    });

    it("are read back after a restart from the redemptions of the window only", async () => {
      const path = storeFile();
      const first = await open(path);
      // One redemption a minute for half an hour, the last one at NOW, and 1 a minute later the restart.
      const minutes = Array.from({ length: 30 }, (_, i) => i - 29);
      for (const minute of minutes)
        expect(await outcomes(redeemerOf(first), [`W${minute}`], ctx({ now: at(minute) }))).toEqual(["ok"]);
      await first.store.close();
      const second = await open(path);
      try {
        const after = redeemerOf(second);
        // Where the window starts is found by bisection over the ids: repeats inside it, new requests before it.
        const repeats = await Promise.all(
          minutes.map(async (minute) => (await outcomes(after, [`W${minute}`], ctx({ now: at(1) })))[0]),
        );
        expect(repeats).toEqual(minutes.map((minute) => (at(minute) > at(1 - 10) ? 900 : "ok")));
        // Past its window, W0 is dropped from memory and a new request again.
        expect(await outcomes(after, ["W0"], ctx({ now: at(10) }))).toEqual(["ok"]);
      } finally {
        await second.store.close();
      }
    });

    it("are confirmed against the redemption they name, as when two requestIds share a fingerprint", async () => {
      const file = await open(storeFile());
      try {
        const redeemer = redeemerOf(file);
        expect(await outcomes(redeemer, ["K-1"])).toEqual(["ok"]);
        // The row K-1's claim names now belongs to no K-1: the claim is another requestId's, and K-1 is new.
        await file.store.sql.run("UPDATE redemptions SET request_id = 'someone-else' WHERE request_id = 'K-1'");
        expect(await outcomes(redeemer, ["K-1"])).toEqual(["ok"]);
        // Its slot was taken: this claim is kept in the table, and honoured there.
        expect(await tableClaims(file)).toEqual([{ request_id: "K-1" }]);
        expect(await outcomes(redeemer, ["K-1"])).toEqual([900]);
      } finally {
        await file.store.close();
      }
    });

    it("go to the table beyond the memory's capacity, and are honoured there, after a restart too", async () => {
      const file = await open(storeFile());
      try {
        const small = redeemerOf(file, 2);
        expect(await outcomes(small, ["C-1", "C-2", "C-3"])).toEqual(["ok", "ok", "ok"]);
        expect(await tableClaims(file)).toEqual([{ request_id: "C-3" }]);
        expect(await outcomes(small, ["C-3", "C-2", "C-1", "C-4"])).toEqual([900, 900, 900, "ok"]);
        // Read back into a memory of 2 claims: those it has no room for go to the table.
        const restarted = redeemerOf(file, 2);
        expect(await outcomes(restarted, ["C-1", "C-2", "C-3", "C-4"])).toEqual([900, 900, 900, 900]);
        expect(await tableClaims(file)).toEqual([{ request_id: "C-3" }, { request_id: "C-4" }]);
      } finally {
        await file.store.close();
      }
    });
  });

  describe.runIf(engine === "sqlite")("a store of the previous version", () => {
    it("keeps its claims as their key alone, and counts its redemptions in indexes of limited codes only", async () => {
      const dir = mkdtempSync(join(tmpdir(), "rizzit-claims-"));
      const path = join(dir, "store.db");
      try {
        const before = await open(path);
        expect((await before.domain.redeem({ ...demo, requestId: "OLD-1" }, ctx())).ok).toBe(true);
        const once = { code: "DEMO-ONCE-PER-MEMBER", email: "member@example.com" };
        expect((await before.domain.redeem(once, ctx())).ok).toBe(true);
        await before.store.close();
        // Back to the previous version's shapes: claims with a rowid and a redemption_id; redemptions without
        // the limited column, with a time index and counting indexes of every row.
        const old = new Database(path);
        old.exec(`
          CREATE TABLE claims (tenant_id TEXT NOT NULL, app_id TEXT NOT NULL, request_id TEXT NOT NULL,
            accepted_at BIGINT NOT NULL, redemption_id INTEGER, PRIMARY KEY (tenant_id, app_id, request_id));
          INSERT INTO claims SELECT tenant_id, app_id, request_id, accepted_at, 1 FROM redeem_request_ids;
          DROP TABLE redeem_request_ids;
          ALTER TABLE claims RENAME TO redeem_request_ids;
          CREATE INDEX redeem_request_ids_by_time ON redeem_request_ids(accepted_at);
          DROP INDEX redemptions_limited_by_code_day;
          DROP INDEX redemptions_limited_by_code_member;
          ALTER TABLE redemptions DROP COLUMN limited;
          CREATE INDEX redemptions_by_time ON redemptions(redeemed_at);
          CREATE INDEX redemptions_by_code_day ON redemptions(code, cst_day, client_ip);
          CREATE INDEX redemptions_by_code_member ON redemptions(code, member_id);
          CREATE TABLE coupons (id INTEGER PRIMARY KEY, redemption_id BIGINT NOT NULL REFERENCES redemptions(id),
            member_id BIGINT NOT NULL, template_id BIGINT NOT NULL, valid_start TEXT NOT NULL, valid_end TEXT NOT NULL);
          INSERT INTO coupons (redemption_id, member_id, template_id, valid_start, valid_end)
            SELECT redemption_id, member_id, template_id, valid_start, valid_end FROM issued_coupons;
          INSERT INTO coupons (redemption_id, member_id, template_id, valid_start, valid_end)
            SELECT redemption_id, member_id, template_id, 'second', valid_end FROM issued_coupons;
          DROP TABLE issued_coupons;
          ALTER TABLE coupons RENAME TO issued_coupons;
          CREATE INDEX issued_coupons_by_redemption ON issued_coupons(redemption_id);`);
        old.close();

        const after = await open(path);
        try {
          const shape = await after.store.sql.all<{ name: string; sql: string }>(
            "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('redeem_request_ids', 'redemptions', 'issued_coupons') ORDER BY name",
          );
          expect(shape.find((o) => o.name === "redeem_request_ids")?.sql).toMatch(/WITHOUT ROWID$/);
          expect(shape.find((o) => o.name === "issued_coupons")?.sql).toMatch(/WITHOUT ROWID$/);
          // Every coupon kept, numbered per redemption in the order of its old id.
          expect(
            await after.store.sql.all(
              "SELECT redemption_id, position, valid_start = 'second' AS second FROM issued_coupons ORDER BY redemption_id, position",
            ),
          ).toEqual([
            { redemption_id: 1, position: 0, second: 0 },
            { redemption_id: 1, position: 1, second: 1 },
            { redemption_id: 2, position: 0, second: 0 },
            { redemption_id: 2, position: 1, second: 1 },
          ]);
          expect(shape.map((o) => o.name).filter((name) => name.includes("_by_"))).toEqual([
            "redemptions_limited_by_code_day",
            "redemptions_limited_by_code_member",
          ]);
          // The claim made before the migration still counts, and so does the limited code's redemption.
          expect(await after.domain.redeem({ ...demo, requestId: "OLD-1" }, ctx())).toEqual(
            businessError("REPEATED_REQUEST"),
          );
          expect(await after.domain.redeem(once, ctx())).toEqual(businessError("REDEEM_CODE_MEMBER_LIMIT"));
        } finally {
          await after.store.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  // PostgreSQL runs concurrent redemptions on separate connections: which of two requests with one requestId
  // claims it first is the database's choice, and either way exactly one is processed.
  describe.runIf(engine === "postgres")("concurrent redemptions", () => {
    it("lets several instances seed one empty database at once (one after the other, the rest find the rows)", async () => {
      const location = await storeLocation(engine);
      const instances = await Promise.all([1, 2, 3].map(() => openStore(location, { report: () => undefined })));
      try {
        await Promise.all(instances.map((instance) => installDomain(instance)));
        const codes = await instances[0]?.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM redeem_codes");
        expect(Number(codes?.n)).toBe(9);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    });

    it("process each requestId once whatever the order, and a refusal leaves the requestId to a corrected retry", async () => {
      const answers = await Promise.all([
        redeem({ ...demo, requestId: "G-1" }),
        redeem({ ...demo, email: "nobody@example.com", requestId: "G-2" }),
        redeem({ ...demo, requestId: "G-1" }),
        redeem({ ...demo, requestId: "G-2" }),
      ]);
      expect(answers.filter((a) => a.ok)).toHaveLength(2);
      expect([businessError("MEMBER_NOT_EXISTS"), businessError("REPEATED_REQUEST")]).toContainEqual(answers[1]);
      expect(answers[0]?.ok !== answers[2]?.ok).toBe(true);
      expect(await store.sql.all("SELECT request_id FROM redemptions ORDER BY request_id")).toEqual([
        { request_id: "G-1" },
        { request_id: "G-2" },
      ]);
      expect(await count("SELECT COUNT(*) AS n FROM issued_coupons")).toBe(2);
    });
  });
});

describe("platform time", () => {
  it("formats any instant in CST to the second, the same again from its cache of recent seconds", () => {
    const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000 + 8 * 3_600_000).toISOString();
    const expected = (ms: number) => `${iso(ms).slice(0, 10)} ${iso(ms).slice(11, 19)}`;
    const instants = [0, -1, -999, -1000, 999, 1000, Date.UTC(2026, 10, 22, 15, 59, 59, 999), Date.UTC(2099, 11, 31)];
    for (let i = 0; i < 200; i++) instants.push(Math.floor(Math.random() * 4_000_000_000_000));
    for (const ms of [...instants, ...instants]) expect(formatCst(ms), String(ms)).toBe(expected(ms));
  });
});
