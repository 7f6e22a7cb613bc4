// What failed or forged client authentication may cost the sandbox. Each wrong Basic login costs ~45 ms of scrypt
// on libuv's 4-thread pool (shared with fs), so without a bound a flood of wrong secrets delays every other
// application's login and every file read. The guard keeps that cost bounded and away from well-behaved clients:
//
// - a short-lived negative cache keyed by a hash of the presented credentials: the same wrong pair costs one
//   scrypt per `negativeTtlMs`, not one per request;
// - two lanes into a bounded verification queue: logins of a known clientId without recent failures ("trusted")
//   are served before those of unknown clientIds or clientIds that keep failing ("suspect"); at most
//   `concurrency` verifications run at once; a full lane answers 429 + Retry-After instead of queueing for ever;
// - failed-login throttling per clientId (any lane) and per IP (suspect lane only, so a flood from one address
//   does not lock out another application calling from the same address): 429 + Retry-After until the window ends.
// Every map is bounded (BoundedMap): random clientIds cannot grow memory without bound.
import { BoundedMap } from "./bounded-map.ts";
import { errors, type ProtocolError } from "./envelope.ts";

export const loginLimits = {
  /** Verifications at once: libuv's pool has 4 threads; two stay free for fs (docs) and other work. */
  concurrency: 2,
  /** Waiting verifications per lane before 429: ~64 × 45 ms / 2 ≈ 1.5 s of work at most ahead of a trusted login. */
  trustedQueue: 64,
  suspectQueue: 16,
  /** Failures are counted in fixed windows of this length per clientId and per IP. */
  failureWindowMs: 60_000,
  /** Failures of a clientId in the window after which its logins go to the suspect lane. */
  suspectAfter: 3,
  /**
   * Unverified logins of one clientId queued or running in the trusted lane at once; more go to the suspect
   * lane. A flood arrives before any of its failures is known: without this it would fill the trusted lane.
   */
  trustedPerClient: 2,
  /** Failures of a clientId in the window after which its unverified logins are refused with 429. */
  clientFailureLimit: 20,
  /** Failures from one IP in the window after which its suspect-lane logins are refused with 429. */
  ipFailureLimit: 100,
  /** How long a failed (clientId, secret, stored hash) triple answers 401 without scrypt. */
  negativeTtlMs: 30_000,
  /** Bound of every map here. */
  maxEntries: 10_000,
} as const;

export type Lane = "trusted" | "suspect";

interface Counter {
  count: number;
}

export class LoginGuard {
  private readonly failuresByClient = new BoundedMap<string, Counter>(
    loginLimits.maxEntries,
    loginLimits.failureWindowMs,
  );
  private readonly failuresByIp = new BoundedMap<string, Counter>(loginLimits.maxEntries, loginLimits.failureWindowMs);
  private readonly knownBad = new BoundedMap<string, true>(loginLimits.maxEntries, loginLimits.negativeTtlMs);
  private running = 0;
  /** Trusted-lane verifications per clientId, queued or running (entries leave at 0: bounded by the lane). */
  private readonly trustedPending = new Map<string, number>();
  private readonly waiting: Record<Lane, (() => void)[]> = { trusted: [], suspect: [] };

  /**
   * The lane of a login: trusted for a known clientId without recent failures and with few logins already
   * pending, suspect otherwise.
   */
  lane(clientId: string, known: boolean, now: number): Lane {
    if (!known) return "suspect";
    if ((this.failuresByClient.get(clientId, now)?.count ?? 0) >= loginLimits.suspectAfter) return "suspect";
    return (this.trustedPending.get(clientId) ?? 0) >= loginLimits.trustedPerClient ? "suspect" : "trusted";
  }

  /** 429 when this clientId (or, in the suspect lane, this IP) failed too often in the current window. */
  throttle(clientId: string, lane: Lane, ip: string, now: number): ProtocolError | undefined {
    if ((this.failuresByClient.get(clientId, now)?.count ?? 0) >= loginLimits.clientFailureLimit) {
      return errors.loginThrottled(this.secondsLeft(this.failuresByClient, clientId, now));
    }
    if (lane === "suspect" && (this.failuresByIp.get(ip, now)?.count ?? 0) >= loginLimits.ipFailureLimit) {
      return errors.loginThrottled(this.secondsLeft(this.failuresByIp, ip, now));
    }
    return undefined;
  }

  /** True when exactly these credentials failed a moment ago (the key is a hash; no secret is kept). */
  isKnownBad(credentialKey: string, now: number): boolean {
    return this.knownBad.get(credentialKey, now) === true;
  }

  failed(clientId: string, ip: string, credentialKey: string, now: number): void {
    this.knownBad.set(credentialKey, true, now);
    this.count(this.failuresByClient, clientId, now);
    this.count(this.failuresByIp, ip, now);
  }

  /** Runs a verification of `clientId` in its lane, or answers 429 when the lane's queue is full. */
  verify(clientId: string, lane: Lane, task: () => Promise<boolean>): Promise<boolean> | ProtocolError {
    const queue = this.waiting[lane];
    if (
      this.running >= loginLimits.concurrency &&
      queue.length >= (lane === "trusted" ? loginLimits.trustedQueue : loginLimits.suspectQueue)
    ) {
      return errors.verificationBusy();
    }
    if (lane === "suspect") return this.run(task, "suspect");
    this.trustedPending.set(clientId, (this.trustedPending.get(clientId) ?? 0) + 1);
    return this.run(task, "trusted").finally(() => {
      const left = (this.trustedPending.get(clientId) ?? 1) - 1;
      if (left > 0) this.trustedPending.set(clientId, left);
      else this.trustedPending.delete(clientId);
    });
  }

  private run(task: () => Promise<boolean>, lane: Lane): Promise<boolean> {
    if (this.running < loginLimits.concurrency) return this.start(task);
    return new Promise<void>((resume) => this.waiting[lane].push(resume)).then(() => this.start(task));
  }

  private start(task: () => Promise<boolean>): Promise<boolean> {
    this.running += 1;
    return task().finally(() => {
      this.running -= 1;
      const next = this.waiting.trusted.shift() ?? this.waiting.suspect.shift();
      next?.();
    });
  }

  private count(map: BoundedMap<string, Counter>, key: string, now: number): void {
    const counter = map.get(key, now);
    // The window starts at the first failure and is not extended by later ones (the entry's expiry stays).
    if (counter) counter.count += 1;
    else map.set(key, { count: 1 }, now);
  }

  private secondsLeft(map: BoundedMap<string, Counter>, key: string, now: number): number {
    return Math.max(1, Math.ceil(map.remainingMs(key, now) / 1000));
  }
}
