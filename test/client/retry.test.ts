// The retry policy's pure functions: the decision and the delay, every branch, no clock and no network.
import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY, parseRetryAfter, type RetryOptions, retryDelay, shouldRetry } from "../../client/index.ts";
import { resolveRetryOptions } from "../../client/src/retry.ts";

const options: RetryOptions = { ...DEFAULT_RETRY };

describe("shouldRetry", () => {
  it("retries 429, 502, 503 and 504 and network errors while attempts remain", () => {
    for (const status of [429, 502, 503, 504]) expect(shouldRetry({ kind: "response", status }, 1, options)).toBe(true);
    expect(shouldRetry({ kind: "networkError", aborted: false }, 1, options)).toBe(true);
  });

  it("never retries success, business answers, client errors or a plain 500", () => {
    for (const status of [200, 400, 401, 403, 404, 500]) {
      expect(shouldRetry({ kind: "response", status }, 1, options)).toBe(false);
    }
  });

  it("stops at maxAttempts (4 attempts = 3 retries by default)", () => {
    const outcome = { kind: "response", status: 429 } as const;
    expect([1, 2, 3, 4].map((attempt) => shouldRetry(outcome, attempt, options))).toEqual([true, true, true, false]);
    expect(shouldRetry(outcome, 1, { ...options, maxAttempts: 1 })).toBe(false);
  });

  it("never retries a request the caller aborted", () => {
    expect(shouldRetry({ kind: "networkError", aborted: true }, 1, options)).toBe(false);
  });

  it("gives up when Retry-After asks for more than maxDelayMs, and waits otherwise", () => {
    expect(shouldRetry({ kind: "response", status: 429, retryAfterMs: 31_000 }, 1, options)).toBe(false);
    expect(shouldRetry({ kind: "response", status: 429, retryAfterMs: 30_000 }, 1, options)).toBe(true);
  });

  it("follows the configured statuses", () => {
    const only503 = { ...options, statuses: [503] };
    expect(shouldRetry({ kind: "response", status: 429 }, 1, only503)).toBe(false);
    expect(shouldRetry({ kind: "response", status: 503 }, 1, only503)).toBe(true);
  });
});

describe("retryDelay", () => {
  it("is exactly 1 s, 2 s, 4 s without jitter (the guide's schedule)", () => {
    const exact = { ...options, jitter: 0 };
    expect([1, 2, 3].map((retry) => retryDelay(retry, exact, 0.7))).toEqual([1000, 2000, 4000]);
  });

  it("randomises the jitter share of each wait, between half and all of it by default", () => {
    expect(retryDelay(2, options, 0)).toBe(1000);
    expect(retryDelay(2, options, 0.5)).toBe(1500);
    expect(retryDelay(2, options, 0.999_999)).toBe(2000);
  });

  it("is capped at maxDelayMs", () => {
    expect(retryDelay(20, { ...options, jitter: 0 }, 0)).toBe(30_000);
    expect(retryDelay(3, { ...options, jitter: 0, maxDelayMs: 2500 }, 0)).toBe(2500);
  });

  it("never waits less than Retry-After", () => {
    expect(retryDelay(1, options, 0, 5000)).toBe(5000);
    expect(retryDelay(3, { ...options, jitter: 0 }, 0, 1000)).toBe(4000);
  });
});

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-22T12:00:00Z");
  it("reads delay-seconds and HTTP dates", () => {
    expect(parseRetryAfter("3", now)).toBe(3000);
    expect(parseRetryAfter(" 0 ", now)).toBe(0);
    expect(parseRetryAfter("Sun, 22 Nov 2026 12:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("Sun, 22 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores a missing or unreadable value", () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter("-1", now)).toBeUndefined();
  });
});

describe("resolveRetryOptions", () => {
  it("merges over the defaults, and false means one attempt", () => {
    expect(resolveRetryOptions({ maxAttempts: 2 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 2 });
    expect(resolveRetryOptions(false).maxAttempts).toBe(1);
    expect(resolveRetryOptions(undefined)).toEqual(DEFAULT_RETRY);
  });
  it("rejects values that would loop or make no sense, naming the option", () => {
    expect(() => resolveRetryOptions({ maxAttempts: 0 })).toThrow(/retry\.maxAttempts/);
    expect(() => resolveRetryOptions({ jitter: 2 })).toThrow(/retry\.jitter/);
    expect(() => resolveRetryOptions({ maxDelayMs: 10 })).toThrow(/retry\.maxDelayMs/);
  });
});
