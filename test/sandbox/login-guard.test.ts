// The login guard's rules, deterministic and without a server (the flood test shows them over HTTP): bounded
// lanes, trusted logins served first, per-clientId lanes and throttling, bounded memory for random clientIds.
import { describe, expect, it } from "vitest";
import { BoundedMap } from "../../mock/sandbox/bounded-map.ts";
import { LoginGuard, loginLimits } from "../../mock/sandbox/login-guard.ts";

/** A verification that finishes when the test says so. */
function pending() {
  let finish: (ok: boolean) => void = () => undefined;
  const task = () =>
    new Promise<boolean>((resolve) => {
      finish = resolve;
    });
  return { task, finish: (ok = false) => finish(ok) };
}

describe("login guard", () => {
  it("runs at most `concurrency` verifications, queues per lane up to its bound, then answers 429", () => {
    const guard = new LoginGuard();
    const running = Array.from({ length: loginLimits.concurrency }, () => pending());
    for (const r of running) expect(guard.verify("ghost", "suspect", r.task)).toBeInstanceOf(Promise);
    for (let i = 0; i < loginLimits.suspectQueue; i++) {
      expect(guard.verify(`ghost-${i}`, "suspect", pending().task)).toBeInstanceOf(Promise);
    }
    expect(guard.verify("ghost-x", "suspect", pending().task)).toMatchObject({
      status: 429,
      headers: { "retry-after": "1" },
    });
    // The trusted lane has its own room.
    expect(guard.verify("partner", "trusted", pending().task)).toBeInstanceOf(Promise);
  });

  it("serves a waiting trusted login before waiting suspect ones", async () => {
    const guard = new LoginGuard();
    const order: string[] = [];
    const blockers = Array.from({ length: loginLimits.concurrency }, () => pending());
    for (const b of blockers) guard.verify("ghost", "suspect", b.task);
    const suspect = guard.verify("ghost-2", "suspect", async () => {
      order.push("suspect");
      return false;
    });
    const trusted = guard.verify("partner", "trusted", async () => {
      order.push("trusted");
      return true;
    });
    blockers[0]?.finish();
    await trusted;
    blockers[1]?.finish();
    await suspect;
    expect(order).toEqual(["trusted", "suspect"]);
  });

  it("puts a clientId in the suspect lane after failures or too many pending logins, and throttles it", () => {
    const guard = new LoginGuard();
    const now = 1_000_000;
    expect(guard.lane("partner", true, now)).toBe("trusted");
    expect(guard.lane("unknown", false, now)).toBe("suspect");
    for (let i = 0; i < loginLimits.trustedPerClient; i++) guard.verify("busy", "trusted", pending().task);
    expect(guard.lane("busy", true, now)).toBe("suspect");
    for (let i = 0; i < loginLimits.suspectAfter; i++) guard.failed("partner", "10.0.0.1", `key-${i}`, now);
    expect(guard.lane("partner", true, now)).toBe("suspect");
    expect(guard.isKnownBad("key-0", now)).toBe(true);
    expect(guard.isKnownBad("key-0", now + loginLimits.negativeTtlMs)).toBe(false);
    for (let i = loginLimits.suspectAfter; i < loginLimits.clientFailureLimit; i++) {
      guard.failed("partner", "10.0.0.1", `key-${i}`, now);
    }
    expect(guard.throttle("partner", "suspect", "10.0.0.9", now + 1000)).toMatchObject({
      status: 429,
      headers: { "retry-after": "59" },
    });
    expect(guard.throttle("partner", "suspect", "10.0.0.9", now + loginLimits.failureWindowMs)).toBeUndefined();
  });
});

describe("bounded map", () => {
  it("keeps at most its bound (oldest out first) and forgets expired entries", () => {
    const map = new BoundedMap<string, number>(3, 100);
    for (let i = 0; i < 10; i++) map.set(`k${i}`, i, 0);
    expect(map.size).toBe(3);
    expect(map.get("k0", 0)).toBeUndefined();
    expect(map.get("k9", 99)).toBe(9);
    expect(map.get("k9", 100)).toBeUndefined();
  });
});
