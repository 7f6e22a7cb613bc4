// The running purge (mock/sandbox/retention.ts) on both store engines: what it removes and what it keeps.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installDomain } from "../../mock/sandbox/domain/index.ts";
import {
  StorePurge,
  startPurge,
  TOKEN_GRACE_MS,
  UNLIMITED_REDEMPTION_RETENTION_MS,
} from "../../mock/sandbox/retention.ts";
import { seedDemoApps } from "../../mock/sandbox/store.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { engines, openTestStore } from "./stores.ts";

const NOW = Date.parse("2026-11-22T02:00:00Z");
const HOUR = 3_600_000;

describe.each(engines)("the store purge on %s", (engine) => {
  let store: StoreEngine;
  beforeEach(async () => {
    store = await openTestStore(engine);
    await seedDemoApps(store.sql, NOW);
    await installDomain(store);
  });
  afterEach(() => store.close());

  const token = (name: string, expiresAt: number, revokedAt: number | null = null) =>
    store.sql.run(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at, revoked_at) VALUES (?, 'sandbox-demo', '1', 'goods:detail:read', ?, ?, ?)",
      [name, expiresAt - HOUR, expiresAt, revokedAt],
    );
  const tokens = async () =>
    (await store.sql.all<{ token_hash: string }>("SELECT token_hash FROM tokens ORDER BY token_hash")).map(
      (r) => r.token_hash,
    );
  const ids = async (sql: string) => (await store.sql.all<{ id: number }>(sql)).map((r) => Number(r.id));

  async function redemption(code: string, redeemedAt: number, requestId: string | null = null): Promise<number> {
    const member = await store.sql.get<{ id: number }>("SELECT id FROM members WHERE email = 'member@example.com'");
    const inserted = await store.sql.run(
      `INSERT INTO redemptions (code, member_id, email, client_ip, app_id, tenant_id, request_id, cst_day, redeemed_at, result)
       VALUES (?, ?, 'member@example.com', '127.0.0.1', 'sandbox-demo', '1', ?, '2026-11-20', ?, '{"prize":"x"}') RETURNING id`,
      [code, member?.id, requestId, redeemedAt],
    );
    const id = Number(inserted.rows[0]?.id);
    await store.sql.run(
      "INSERT INTO issued_coupons (redemption_id, member_id, template_id, valid_start, valid_end) VALUES (?, ?, 1001, 'a', 'b')",
      [id, member?.id],
    );
    return id;
  }

  it("removes tokens expired longer than the grace (revoked ones too) and keeps live and recently expired ones", async () => {
    await token("live", NOW + HOUR);
    await token("live-revoked", NOW + HOUR, NOW - 1000);
    await token("just-expired", NOW - TOKEN_GRACE_MS + 60_000);
    await token("long-expired", NOW - TOKEN_GRACE_MS - 1);
    await token("long-expired-revoked", NOW - 2 * HOUR, NOW - 3 * HOUR);
    expect((await new StorePurge(store).all(NOW)).tokens).toBe(2);
    expect(await tokens()).toEqual(["just-expired", "live", "live-revoked"]);
  });

  it("removes idempotency records older than their window, found through their redemptions, and keeps the rest", async () => {
    // A requestId is claimed with its redemption, in one transaction (as both redeemers write them).
    const claim = async (id: string, at: number, acceptedAt = at) => {
      await redemption("E602F4DC626E4948", at, id);
      await store.sql.run(
        `INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at) VALUES ('1', 'sandbox-demo', ?, ?)
         ON CONFLICT (tenant_id, app_id, request_id) DO UPDATE SET accepted_at = excluded.accepted_at`,
        [id, acceptedAt],
      );
    };
    await claim("old", NOW - 11 * 60_000);
    await claim("reused", NOW - 30 * 60_000);
    await claim("no-window-left", NOW - 20 * 60_000);
    await claim("recent", NOW - 9 * 60_000);
    // Taken over by a later redemption after its window: the claim is the later one's now.
    await claim("reused", NOW - 5 * 60_000);
    const purge = new StorePurge(store);
    expect((await purge.all(NOW)).requestIds).toBe(2);
    expect(await store.sql.all("SELECT request_id FROM redeem_request_ids ORDER BY request_id")).toEqual([
      { request_id: "recent" },
      { request_id: "reused" },
    ]);
    // Ten minutes on, the walk goes on from where it stopped.
    expect((await purge.all(NOW + 10 * 60_000)).requestIds).toBe(2);
    expect(await store.sql.all("SELECT request_id FROM redeem_request_ids")).toEqual([]);
  });

  it("drops old redemptions of codes without a lifetime limit, with their coupons, and keeps every limited code's", async () => {
    const old = NOW - UNLIMITED_REDEMPTION_RETENTION_MS - 1;
    const dropped = await redemption("E602F4DC626E4948", old);
    const recent = await redemption("E602F4DC626E4948", NOW - HOUR);
    const quota = await redemption("DEMO-QUOTA-3", old);
    const perMember = await redemption("DEMO-ONCE-PER-MEMBER", old);
    expect((await new StorePurge(store).all(NOW)).redemptions).toBe(1);
    expect(await ids("SELECT id FROM redemptions ORDER BY id")).toEqual([recent, quota, perMember]);
    expect(await ids(`SELECT redemption_id AS id FROM issued_coupons WHERE redemption_id = ${dropped}`)).toEqual([]);
    expect(await ids("SELECT redemption_id AS id FROM issued_coupons ORDER BY redemption_id")).toEqual([
      recent,
      quota,
      perMember,
    ]);
  });

  it("walks redemptions oldest first past more rows kept for good than a batch, and stops at the first recent one", async () => {
    const old = NOW - UNLIMITED_REDEMPTION_RETENTION_MS - 1;
    for (let i = 0; i < 250; i++) await redemption("DEMO-QUOTA-3", old);
    const dropped = await redemption("E602F4DC626E4948", old);
    const recent = await redemption("E602F4DC626E4948", NOW - HOUR);
    const purge = new StorePurge(store);
    expect((await purge.all(NOW)).redemptions).toBe(1);
    expect(await ids(`SELECT id FROM redemptions WHERE id IN (${dropped}, ${recent})`)).toEqual([recent]);
    expect(Number((await store.sql.get<{ n: number }>("SELECT COUNT(*) AS n FROM redemptions"))?.n)).toBe(251);
    // Two days later the recent one has aged out too: the walk goes on from where it stopped.
    expect((await purge.all(NOW + UNLIMITED_REDEMPTION_RETENTION_MS)).redemptions).toBe(1);
    expect(await ids(`SELECT id FROM redemptions WHERE id = ${recent}`)).toEqual([]);
  });

  it("purges a backlog larger than one batch, in batches", async () => {
    await store.sql.transaction(async (tx) => {
      for (let i = 0; i < 1_200; i++) {
        await tx.run(
          "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, 'sandbox-demo', '1', 's', 0, ?)",
          [`expired-${i}`, NOW - 2 * HOUR],
        );
      }
    });
    await token("live", NOW + HOUR);
    const purge = new StorePurge(store);
    expect((await purge.step(NOW)).counts.tokens).toBeLessThan(1_200);
    await purge.all(NOW);
    expect(await tokens()).toEqual(["live"]);
  });

  it("runs while the sandbox runs, and stops", async () => {
    await token("long-expired", Date.now() - 2 * HOUR);
    await token("live", Date.now() + HOUR);
    const purged: number[] = [];
    const stop = startPurge(
      store,
      { purged: (c) => purged.push(c.tokens), failed: (e) => purged.push(-1, Number(e)) },
      Date.now,
      20,
    );
    await expect.poll(() => purged, { timeout: 10_000 }).toEqual([1]);
    stop();
    expect(await tokens()).toEqual(["live"]);
  });
});
