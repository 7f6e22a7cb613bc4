// The fetch that openapi-fetch calls: adds tenant-id and credentials to every request, re-fetches the token once
// on a 401, and retries rate limits, unavailable gateways and network errors with backoff.

import { CallRequest, type CallScope, PendingRequest, SDK_CALL } from "./calls.js";
import { isProtocolCode, readBody, readEnvelopeCode } from "./envelope.js";
import { OpenApiError } from "./errors.js";
import { CLIENT_CREDENTIAL_OPERATIONS, operationIdOf } from "./operations.js";
import { parseRetryAfter, type RetryOptions, retryDelay, shouldRetry } from "./retry.js";

export type FetchLike = (request: Request) => Promise<Response>;

/** Hooks for tests and unusual runtimes; every one has a sensible default. */
export interface ClientHooks {
  /** The clock, in milliseconds since the epoch. Default `Date.now`. */
  now?: () => number;
  /** Waits between retries. Default a timer that the call's AbortSignal cancels. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** A number in [0, 1) for the backoff jitter. Default `Math.random`. */
  random?: () => number;
  /** A fresh redemption requestId. Default `crypto.randomUUID()`. */
  newRequestId?: () => string;
}

export interface Credentials {
  /** The value of `Authorization: Basic ...` for the token endpoints. */
  basic: string;
  tenantId: string;
}

/** How the transport obtains a bearer token, and drops one the platform refused. */
export interface BearerSource {
  get(): Promise<string>;
  /** The token when one is cached and not due for refresh, without waiting (the common case). */
  fresh?(): string | undefined;
  invalidate(token: string): void;
}

export interface TransportOptions {
  fetch: FetchLike;
  /** When the client uses the runtime's own fetch: called with URL and init, no Request built. */
  fetchUrl?: (url: string, init: RequestInit) => Promise<Response>;
  credentials: Credentials;
  bearer: BearerSource;
  retry: RetryOptions;
  basePath: string;
  now: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  random: () => number;
  /** The client's calls in flight, which its close() aborts (the shared token request included). */
  scope?: CallScope;
}

export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for `promise` unless `signal` aborts first. The promise itself goes on: a token request shared by several
 * calls must not be cancelled because one of them was.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      // Still observe the promise, so that its failure (nobody waits for it any more) is not an unhandled rejection.
      promise.catch(() => undefined);
      return reject(signal.reason);
    }
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** The transport: what openapi-fetch calls as its fetch, with a CallRequest (typed methods) or a Request (raw). */
export type Transport = (request: Request | CallRequest) => Promise<Response>;

export function createTransport(options: TransportOptions): Transport {
  // Called unbound: a browser's fetch called as a method of another object throws "Illegal invocation".
  const fetchImpl = options.fetch;
  const { scope } = options;

  return async function send(request: Request | CallRequest): Promise<Response> {
    // The caller's signal (per call) and the client's close() (through the scope): either one cancels the call
    // and its retries. A call aborted (or a client closed) before it starts sends nothing.
    const callerSignal = request.signal ?? undefined;
    if (callerSignal?.aborted) throw callerSignal.reason;
    const controller = scope ? scope.enter() : new AbortController();
    const forward = () => controller.abort(callerSignal?.reason);
    callerSignal?.addEventListener("abort", forward, { once: true });
    try {
      return await exchange(request, controller.signal);
    } finally {
      callerSignal?.removeEventListener("abort", forward);
      scope?.leave(controller);
    }
  };

  async function exchange(request: Request | CallRequest, signal: AbortSignal): Promise<Response> {
    const call = request instanceof CallRequest ? request[SDK_CALL] : undefined;
    const operationId = call?.operationId ?? operationIdOf(new URL(request.url).pathname, options.basePath);
    const usesClientCredentials = CLIENT_CREDENTIAL_OPERATIONS.has(operationId);
    // The body is read once and every attempt sends the same bytes, so a redemption keeps its requestId.
    // (Buffering is cheaper than Request.clone(), which tees the body stream on every attempt.)
    const body =
      request instanceof CallRequest || request instanceof PendingRequest
        ? request.bodyText
        : request.body === null
          ? null
          : await request.arrayBuffer();
    // A CallRequest's headers are its own (openapi-fetch merges them per call); a Request's are copied once.
    const headers = request instanceof CallRequest ? request.headers : new Headers(request.headers);
    headers.set("tenant-id", options.credentials.tenantId);
    let attempts = 0;
    let retries = 0;
    let reauthorized = false;
    for (;;) {
      if (signal.aborted) throw signal.reason;
      attempts++;
      let token: string | undefined;
      if (usesClientCredentials) {
        headers.set("authorization", options.credentials.basic);
      } else {
        // A cached token is used as it is: no promise and no abort listener per call.
        token = options.bearer.fresh?.() ?? (await untilAborted(options.bearer.get(), signal));
        headers.set("authorization", `Bearer ${token}`);
      }
      // Each attempt its own init: the runtime fetch below may change its redirect mode.
      const init: RequestInit = { method: request.method, headers, body, signal, redirect: request.redirect };

      let response: Response;
      try {
        // The platform's own fetch takes the URL and init as they are; a Request with a body costs undici a body
        // stream per call (openapi-fetch alone is ~1.4x a bare fetch on loopback for that reason).
        response = await (options.fetchUrl
          ? options.fetchUrl(request.url, init)
          : fetchImpl(new Request(request.url, init)));
      } catch (error) {
        const aborted = signal.aborted;
        if (aborted) throw signal.reason ?? error;
        if (!shouldRetry({ kind: "networkError", aborted }, retries + 1, options.retry)) {
          throw new OpenApiError({
            kind: "network",
            operationId,
            status: null,
            code: null,
            msg: `no answer from ${new URL(request.url).origin} (${error instanceof Error ? error.message : String(error)})`,
            attempts,
            cause: error,
          });
        }
        retries++;
        await options.sleep(retryDelay(retries, options.retry, options.random()), signal);
        continue;
      }

      // A typed call's body is read by the SDK only: no re-wrapped Response for openapi-fetch.
      const answer = await readEnvelopeCode(response, call === undefined);
      response = answer.response;
      const envelopeCode = answer.code;
      if (!answer.json) {
        throw new OpenApiError({
          kind: "server",
          operationId,
          status: response.status,
          code: null,
          msg: `the answer is not JSON (content-type ${response.headers.get("content-type") ?? "none"}): is baseUrl the platform's gateway?`,
          attempts,
        });
      }
      // A gateway may answer HTTP 200 with a protocol code in the envelope: the code decides.
      const status = envelopeCode !== undefined && isProtocolCode(envelopeCode) ? envelopeCode : response.status;
      if (status === 401 && token !== undefined && !reauthorized) {
        // The token expired early or was revoked: drop it, fetch a new one, and try once more.
        reauthorized = true;
        options.bearer.invalidate(token);
        await discard(response);
        continue;
      }
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), options.now());
      if (!shouldRetry({ kind: "response", status, retryAfterMs }, retries + 1, options.retry)) {
        if (call === undefined) return response;
        call.attempts = attempts;
        if (answer.read || response.ok) {
          call.body = answer.body;
          return response;
        }
        // An error answer, read here while the call's signal still cancels it (close() included), and handed to
        // openapi-fetch again, which reads every error body (rare: the cost of a Response does not matter here).
        const read = await readBody(response);
        call.body = read.body;
        return new Response(read.text === "" ? null : read.text, {
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
        });
      }
      retries++;
      await discard(response);
      await options.sleep(retryDelay(retries, options.retry, options.random(), retryAfterMs), signal);
    }
  }
}
