// The token cache (mock/sandbox/tokens.ts) on both store engines: right answers with many more tokens than it
// holds, hot tokens kept, revocation seen at once.
import { createHash } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { newAccessToken, tokenKey } from "../../mock/sandbox/credentials.ts";
import { seedDemoApps } from "../../mock/sandbox/store.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { TokenRepository } from "../../mock/sandbox/tokens.ts";
import { engines, openTestStore } from "./stores.ts";

const NOW = 1_000_000;
const issueMany = (repo: TokenRepository, count: number) =>
  Promise.all(
    Array.from({ length: count }, (_, i) =>
      repo.issue({
        clientId: "sandbox-demo",
        tenantId: String(1 + (i % 3)),
        scopes: i % 2 ? ["goods:detail:read"] : ["goods:qc:read", "goods:detail:read"],
        ttlSeconds: 60 + i,
        now: NOW,
      }),
    ),
  );

describe.each(engines)("the token cache on %s", (engine) => {
  let store: StoreEngine;
  beforeEach(async () => {
    store = await openTestStore(engine);
    await seedDemoApps(store.sql, 0);
  });
  afterEach(() => store.close());

  it("answers every token's own record with 20x more tokens than it holds, and stays within its size", async () => {
    const repo = new TokenRepository(store, 100);
    const tokens = await issueMany(repo, 2_000);
    for (let pass = 0; pass < 2; pass++) {
      for (const [i, token] of tokens.entries()) {
        const record = await repo.find(token);
        expect(record?.tenantId).toBe(String(1 + (i % 3)));
        expect(record?.expiresAt).toBe(NOW + (60 + i) * 1000);
        expect([...(record?.scopes ?? [])]).toEqual(
          i % 2 ? ["goods:detail:read"] : ["goods:qc:read", "goods:detail:read"],
        );
      }
      expect(repo.cachedCount).toBeLessThanOrEqual(100);
    }
    expect(await repo.find("never-issued")).toBeUndefined();
  });

  it("keeps a token in use cached while thousands of others pass through", async () => {
    const repo = new TokenRepository(store, 100);
    const [hot, ...others] = (await issueMany(repo, 3_000)) as [string, ...string[]];
    await repo.find(hot);
    for (const token of others) {
      await repo.find(token);
      await repo.find(hot);
    }
    // Gone from the store, still answered: it was served from the cache all along.
    await store.sql.run("DELETE FROM tokens WHERE token_hash = ?", [tokenKey(hot)]);
    expect((await repo.find(hot))?.clientId).toBe("sandbox-demo");
    // A token used once long ago was evicted: it is looked up in the store again.
    await store.sql.run("DELETE FROM tokens WHERE token_hash = ?", [tokenKey(others[0] as string)]);
    expect(await repo.find(others[0] as string)).toBeUndefined();
  });

  it("forgets a revoked token at once", async () => {
    const repo = new TokenRepository(store, 100);
    const [token] = (await issueMany(repo, 1)) as [string];
    expect((await repo.find(token))?.revokedAt).toBeNull();
    await repo.revokeFor("sandbox-demo", token, NOW + 1);
    expect((await repo.find(token))?.revokedAt).toBe(NOW + 1);
  });

  it("issues distinct tokens of 256 random bits after their issue time, across refills of the random pool", () => {
    const tokens = new Set(Array.from({ length: 2_000 }, () => newAccessToken(NOW)));
    expect(tokens.size).toBe(2_000);
    for (const token of tokens) {
      expect(token.slice(0, 9)).toBe(NOW.toString(36).padStart(9, "0"));
      expect(Buffer.from(token.slice(9), "base64url")).toHaveLength(32);
    }
  });

  it("keys tokens in the order they were issued, and finds a token of an earlier version by its hash alone", async () => {
    const issuedAt = [NOW, NOW + 1, NOW + 36, NOW + 86_400_000].map((t) => newAccessToken(t));
    const keys = issuedAt.map(tokenKey);
    expect([...keys].sort()).toEqual(keys);
    // A forged issue time makes another hash: no key of the store matches it.
    const [first] = issuedAt as [string];
    const forged = newAccessToken(NOW + 5).slice(0, 9) + first.slice(9);
    expect(tokenKey(forged).slice(9)).not.toBe(tokenKey(first).slice(9));
    // Before this version a token was 256 random bits alone, stored under its SHA-256.
    const earlier = first.slice(9);
    expect(tokenKey(earlier)).toBe(createHash("sha256").update(earlier).digest("base64url"));
    await store.sql.run(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, 'sandbox-demo', '1', 'goods:detail:read', ?, ?)",
      [tokenKey(earlier), NOW, NOW + 60_000],
    );
    expect((await new TokenRepository(store, 100).find(earlier))?.expiresAt).toBe(NOW + 60_000);
  });
});
