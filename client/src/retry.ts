// The retry policy as pure functions: whether to try again, and how long to wait first.
// Kept free of I/O and clocks so that every branch is tested directly (see test/client/retry.test.ts).

export interface RetryOptions {
  /** Total HTTP attempts per call, the first included. 1 turns retries off. Default 4 (waits of about 1 s, 2 s, 4 s). */
  maxAttempts: number;
  /** The first wait, doubled on each further retry. Default 1000 ms. */
  baseDelayMs: number;
  /** The longest wait between two attempts. A `Retry-After` longer than this ends the retries. Default 30000 ms. */
  maxDelayMs: number;
  /** The share of each wait that is randomised (0 = exactly 1 s, 2 s, 4 s; 0.5 = between half and all of it). Default 0.5. */
  jitter: number;
  /** HTTP statuses (or envelope codes) worth retrying. Default 429, 502, 503, 504. */
  statuses: readonly number[];
}

export const DEFAULT_RETRY: Readonly<RetryOptions> = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  jitter: 0.5,
  statuses: Object.freeze([429, 502, 503, 504]),
});

/** Retries off: one attempt. Pass `retry: false` to the client for this. */
export const NO_RETRY: Readonly<RetryOptions> = Object.freeze({ ...DEFAULT_RETRY, maxAttempts: 1 });

/** Merges the caller's options over the defaults and rejects values that would loop or never wait. */
export function resolveRetryOptions(options: Partial<RetryOptions> | false | undefined): RetryOptions {
  if (options === false) return { ...NO_RETRY };
  const merged: RetryOptions = { ...DEFAULT_RETRY, ...options };
  const check = (ok: boolean, what: string) => {
    if (!ok) throw new TypeError(`createOpenApiClient: retry.${what}`);
  };
  check(Number.isInteger(merged.maxAttempts) && merged.maxAttempts >= 1, "maxAttempts must be a whole number >= 1");
  check(Number.isFinite(merged.baseDelayMs) && merged.baseDelayMs >= 0, "baseDelayMs must be a number >= 0");
  check(
    Number.isFinite(merged.maxDelayMs) && merged.maxDelayMs >= merged.baseDelayMs,
    "maxDelayMs must be >= baseDelayMs",
  );
  check(merged.jitter >= 0 && merged.jitter <= 1, "jitter must be between 0 and 1");
  return merged;
}

/** What happened on one attempt. `status` is the effective status: the envelope code when it names a protocol error. */
export type AttemptOutcome =
  | { kind: "response"; status: number; retryAfterMs?: number }
  | { kind: "networkError"; aborted: boolean };

/**
 * Whether to make attempt `attempt + 1` after `outcome` of attempt `attempt` (1-based).
 * Retries network errors and the configured statuses, never an abort by the caller, never past `maxAttempts`,
 * and never when the platform asks for a longer wait than `maxDelayMs` (retrying sooner would only be refused).
 */
export function shouldRetry(outcome: AttemptOutcome, attempt: number, options: RetryOptions): boolean {
  if (attempt >= options.maxAttempts) return false;
  if (outcome.kind === "networkError") return !outcome.aborted;
  if (!options.statuses.includes(outcome.status)) return false;
  return outcome.retryAfterMs === undefined || outcome.retryAfterMs <= options.maxDelayMs;
}

/**
 * The wait before retry number `retry` (1 for the first retry): `baseDelayMs * 2^(retry-1)`, capped at
 * `maxDelayMs`, with its `jitter` share randomised by `random` (a number in [0, 1)), and never shorter than the
 * `Retry-After` the platform sent.
 */
export function retryDelay(
  retry: number,
  options: RetryOptions,
  random: number,
  retryAfterMs: number | undefined = undefined,
): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  const jittered = exponential * (1 - options.jitter + options.jitter * random);
  return Math.round(Math.max(jittered, retryAfterMs ?? 0));
}

/**
 * Reads `Retry-After` (RFC 9110: delay-seconds or an HTTP date) as milliseconds from `nowMs`.
 * Returns undefined for a missing or unreadable value, so that the backoff alone decides.
 */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always has letters (day and month names, GMT); Date.parse alone would read "-1" as a year.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
