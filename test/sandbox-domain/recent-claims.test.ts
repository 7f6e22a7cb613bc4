// The SQLite redeemer's claims in memory (recent-claims.ts): checked against a plain Map as the model.
import { describe, expect, it } from "vitest";
import { ClaimFingerprint, RecentClaims } from "../../mock/sandbox/domain/recent-claims.ts";

const T0 = 1_700_000_000_000;
const fp = new ClaimFingerprint();
const of = (requestId: string) => fp.of("1", "sandbox-demo", requestId);
/** Stages one claim as the redeemer does: asks what is held first. */
const stage = (claims: RecentClaims, requestId: string, at: number, redemption = 1) =>
  claims.stage(of(requestId), at, redemption, claims.acceptedAt(of(requestId)));

describe("claim fingerprints", () => {
  it("tell apart where one part ends and the next begins, and differ between processes", () => {
    const one = { ...new ClaimFingerprint().of("1", "ab", "c") };
    const again = new ClaimFingerprint();
    expect({ ...fp.of("1", "ab", "c") }).not.toEqual({ ...fp.of("1", "a", "bc") });
    expect([again.of("1", "ab", "c").hi, again.lo]).not.toEqual([one.hi, one.lo]);
  });
});

describe("claims held in memory", () => {
  it("are applied when their transaction commits, and undone when it rolls back, takeovers included", () => {
    const claims = new RecentClaims(100);
    expect(stage(claims, "A", T0, 7)).toBe(true);
    expect(claims.acceptedAt(of("A"))).toBe(T0); // seen by later redemptions of the same group
    claims.commit();
    expect(claims.redemptionOf(of("A"))).toBe(7);
    // A takeover after the window and a new claim, rolled back: A is as it was, B is gone.
    stage(claims, "A", T0 + 700_000, 8);
    stage(claims, "B", T0 + 700_000, 9);
    claims.discard();
    expect([claims.acceptedAt(of("A")), claims.redemptionOf(of("A")), claims.acceptedAt(of("B"))]).toEqual([
      T0,
      7,
      undefined,
    ]);
    expect(claims.size).toBe(1);
  });

  it("take no new claim beyond their capacity, but let one past its window be taken over", () => {
    const claims = new RecentClaims(2);
    expect([stage(claims, "A", T0), stage(claims, "B", T0), stage(claims, "C", T0)]).toEqual([true, true, false]);
    claims.commit();
    expect(stage(claims, "A", T0 + 700_000)).toBe(true);
    expect(claims.size).toBe(2);
  });

  it("drop the claims past their window, oldest first, but never one taken over since", () => {
    const claims = new RecentClaims(100);
    for (const [id, at] of [
      ["A", T0],
      ["B", T0 + 1],
      ["C", T0 + 2],
    ] as const)
      stage(claims, id, at);
    claims.commit();
    stage(claims, "A", T0 + 3); // taken over: its first queue entry must not drop it
    claims.commit();
    claims.expire(T0 + 1);
    expect(["A", "B", "C"].map((id) => claims.acceptedAt(of(id)))).toEqual([T0 + 3, undefined, T0 + 2]);
    claims.expire(T0 + 3);
    expect(claims.size).toBe(0);
  });

  it("answer as a Map would through growth, expiry and rollbacks of many claims", () => {
    // Clusters in the probe sequences are certain at this size: deletion must move the right entries back.
    const claims = new RecentClaims(1_000_000);
    const model = new Map<string, number>();
    let staged = new Map<string, number>();
    let now = T0;
    let seed = 42;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (let step = 0; step < 400; step++) {
      now += 1000;
      for (let i = 0; i < 100; i++) {
        const id = `R-${Math.floor(random() * 40_000)}`;
        const held = claims.acceptedAt(of(id));
        expect(held).toBe(staged.get(id) ?? model.get(id));
        if (held === undefined || held <= now - 60_000) {
          stage(claims, id, now);
          staged.set(id, now);
        }
      }
      if (random() < 0.2) {
        claims.discard();
      } else {
        claims.commit();
        for (const [id, at] of staged) model.set(id, at);
      }
      staged = new Map();
      // A window of 60 s: expire as the redeemer does, then drop the same from the model.
      for (let slice = 0; slice < 10; slice++) claims.expire(now - 60_000);
      for (const [id, at] of model) if (at <= now - 60_000) model.delete(id);
      expect(claims.size).toBe(model.size);
    }
    for (const [id, at] of model) expect(claims.acceptedAt(of(id))).toBe(at);
  });
});
