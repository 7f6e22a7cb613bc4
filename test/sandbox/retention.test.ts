// The running purge (mock/sandbox/retention.ts) on a real SQLite store: what it removes and what it keeps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installDomain } from "../../mock/sandbox/domain/index.ts";
import {
  StorePurge,
  startPurge,
  TOKEN_GRACE_MS,
  UNLIMITED_REDEMPTION_RETENTION_MS,
} from "../../mock/sandbox/retention.ts";
import { type Db, openDatabase, seedDemoApps } from "../../mock/sandbox/store.ts";

const NOW = Date.parse("2026-11-22T02:00:00Z");
const HOUR = 3_600_000;
let db: Db;

beforeEach(() => {
  db = openDatabase(":memory:");
  seedDemoApps(db, NOW);
  installDomain(db);
});
afterEach(() => db.close());

function token(name: string, expiresAt: number, revokedAt: number | null = null): void {
  db.prepare(
    "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at, revoked_at) VALUES (?, 'sandbox-demo', '1', 'goods:detail:read', ?, ?, ?)",
  ).run(name, expiresAt - HOUR, expiresAt, revokedAt);
}
const tokens = () => db.prepare("SELECT token_hash FROM tokens ORDER BY token_hash").pluck().all();

function redemption(code: string, redeemedAt: number, requestId: string | null = null): number {
  const member = db.prepare("SELECT id FROM members WHERE email = 'member@example.com'").pluck().get();
  const id = Number(
    db
      .prepare(
        `INSERT INTO redemptions (code, member_id, email, client_ip, app_id, tenant_id, request_id, cst_day, redeemed_at, result)
         VALUES (?, ?, 'member@example.com', '127.0.0.1', 'sandbox-demo', '1', ?, '2026-11-20', ?, '{"prize":"x"}')`,
      )
      .run(code, member, requestId, redeemedAt).lastInsertRowid,
  );
  db.prepare(
    "INSERT INTO issued_coupons (redemption_id, member_id, template_id, valid_start, valid_end) VALUES (?, ?, 1001, 'a', 'b')",
  ).run(id, member);
  return id;
}

describe("the store purge", () => {
  it("removes tokens expired longer than the grace (revoked ones too) and keeps live and recently expired ones", () => {
    token("live", NOW + HOUR);
    token("live-revoked", NOW + HOUR, NOW - 1000);
    token("just-expired", NOW - TOKEN_GRACE_MS + 60_000);
    token("long-expired", NOW - TOKEN_GRACE_MS - 1);
    token("long-expired-revoked", NOW - 2 * HOUR, NOW - 3 * HOUR);
    expect(new StorePurge(db).all(NOW).tokens).toBe(2);
    expect(tokens()).toEqual(["just-expired", "live", "live-revoked"]);
  });

  it("removes idempotency records older than their window and keeps those inside it", () => {
    const claim = db.prepare(
      "INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at) VALUES ('1', 'sandbox-demo', ?, ?)",
    );
    claim.run("old", NOW - 11 * 60_000);
    claim.run("recent", NOW - 9 * 60_000);
    expect(new StorePurge(db).all(NOW).requestIds).toBe(1);
    expect(db.prepare("SELECT request_id FROM redeem_request_ids").pluck().all()).toEqual(["recent"]);
  });

  it("drops old redemptions of codes without a lifetime limit, with their coupons, and keeps every limited code's", () => {
    const old = NOW - UNLIMITED_REDEMPTION_RETENTION_MS - 1;
    const dropped = redemption("E602F4DC626E4948", old);
    const recent = redemption("E602F4DC626E4948", NOW - HOUR);
    const quota = redemption("DEMO-QUOTA-3", old);
    const perMember = redemption("DEMO-ONCE-PER-MEMBER", old);
    expect(new StorePurge(db).all(NOW).redemptions).toBe(1);
    expect(db.prepare("SELECT id FROM redemptions ORDER BY id").pluck().all()).toEqual([recent, quota, perMember]);
    expect(db.prepare("SELECT COUNT(*) FROM issued_coupons WHERE redemption_id = ?").pluck().get(dropped)).toBe(0);
  });

  it("purges a backlog larger than one batch, in batches", () => {
    const insert = db.prepare(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, 'sandbox-demo', '1', 's', 0, ?)",
    );
    db.transaction(() => {
      for (let i = 0; i < 1_200; i++) insert.run(`expired-${i}`, NOW - 2 * HOUR);
    })();
    token("live", NOW + HOUR);
    const purge = new StorePurge(db);
    expect(purge.step(NOW).tokens).toBeLessThan(1_200);
    purge.all(NOW);
    expect(tokens()).toEqual(["live"]);
  });

  it("runs while the sandbox runs, and stops", async () => {
    token("long-expired", Date.now() - 2 * HOUR);
    token("live", Date.now() + HOUR);
    const purged: number[] = [];
    const stop = startPurge(
      db,
      { purged: (c) => purged.push(c.tokens), failed: (e) => purged.push(-1, Number(e)) },
      Date.now,
      20,
    );
    await expect.poll(() => purged, { timeout: 10_000 }).toEqual([1]);
    stop();
    expect(tokens()).toEqual(["live"]);
  });
});
