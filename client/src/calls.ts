// One call as the transport sees it: the request openapi-fetch builds, what the transport learns about it, and the
// scope of calls in flight that a client's close() cancels.

/**
 * One typed call as the transport sees it, handed over through openapi-fetch's options (see CallRequest): which
 * operation it is, and what the transport learnt, so that nobody looks the answer up again.
 */
export interface CallContext {
  operationId: string;
  /** Set by the transport: the HTTP attempts made. */
  attempts: number;
  /** Set by the transport: the final answer's body, parsed once (its text when not JSON, undefined when empty). */
  body: unknown;
}

/** The option (of openapi-fetch's per-call options) that carries the CallContext to the CallRequest. */
export const SDK_CALL = "rizzitSdkCall";

/**
 * The calls in flight of one client, which close() aborts. One AbortController per call, held here, rather than
 * AbortSignal.any([caller's signal, client's]) per call (~13 µs more CPU a call, measured 2026-11-30) or the
 * client's signal shared by every call (every Request registers on the signal it is given, and registrations on one
 * long-lived signal pile up: measured +150 µs per call after a few thousand).
 */
export class CallScope {
  private readonly calls = new Set<AbortController>();
  private closedBy: { reason: unknown } | undefined;

  /** A controller for a new call; throws the close() reason once the client is closed. */
  enter(): AbortController {
    if (this.closedBy) throw this.closedBy.reason;
    const controller = new AbortController();
    this.calls.add(controller);
    return controller;
  }

  leave(controller: AbortController): void {
    this.calls.delete(controller);
  }

  /** Aborts every call in flight with `reason`, and every later call before it sends anything. */
  close(reason: unknown): void {
    this.closedBy = { reason };
    for (const controller of this.calls) controller.abort(reason);
    this.calls.clear();
  }
}

/**
 * The request the raw client's openapi-fetch builds (passed as its `Request` class): a real Request for headers,
 * signal, URL and middleware, but its body is kept as the serialised text rather than handed to the Request. A
 * Request with a body sets up undici's stream machinery, and the transport then had to read that stream back to
 * resend the bytes on a retry.
 */
export class PendingRequest extends Request {
  readonly bodyText: RequestInit["body"];

  constructor(input: string | URL | Request, init?: RequestInit) {
    const { body = null, ...rest } = init ?? {};
    super(input, rest);
    this.bodyText = body;
  }
}

interface CallInit extends RequestInit {
  [SDK_CALL]?: CallContext;
}

/**
 * What openapi-fetch builds for the typed methods (passed as its `Request` class): the URL, the headers it merged
 * and the serialised body, as they are, plus the CallContext. Not a Request: a Request costs a URL parse, a header
 * list and an AbortController of its own per call, all read back by the transport only. Only the transport sees
 * these (the client that builds them is internal, without middleware); the raw client keeps real Requests.
 * Every option openapi-fetch copies onto its request (those it does not know) is a field here, so it copies none.
 */
export class CallRequest {
  readonly url: string;
  readonly method: string;
  /** openapi-fetch's merged headers, a Headers of this call alone: the transport adds its own to it. */
  readonly headers: Headers;
  readonly bodyText: RequestInit["body"];
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined;
  readonly redirect: NonNullable<RequestInit["redirect"]>;
  readonly [SDK_CALL]: CallContext | undefined;

  constructor(url: string, init: CallInit) {
    this.url = url;
    this.method = init.method ?? "GET";
    this.headers = init.headers instanceof Headers ? init.headers : new Headers(init.headers);
    this.bodyText = init.body ?? null;
    this.signal = init.signal ?? undefined;
    this.redirect = init.redirect ?? "follow";
    this[SDK_CALL] = init[SDK_CALL];
  }
}
