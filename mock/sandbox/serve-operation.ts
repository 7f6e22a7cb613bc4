// What serving one operation means, whatever carried the request: the Fastify route (server.ts) and node:http's
// direct path (direct-path.ts) both call these, so the checks, their order and the answers are written once.
//
// - `admit`: the early check when the headers arrive (Bearer operations): a request with bad credentials never
//   costs its body.
// - `serve`: when the body is read: judged again (`confirm`: what changed while the body was in flight counts, QPS
//   is counted now), then the body's media type and schema, then the handler (a write that meets another process's
//   lock is retried off the event loop), then the answer's bytes.
// - `refuseBody`: a body that could not be parsed still comes from a caller accepted at headers time: judged and
//   counted as a served request is, so those checks answer first.
import { parse as parseJsonText } from "secure-json-parse";
import { type Caller, isProtocolError, type RequestFacts, type SecurityModel } from "./auth.ts";
import type { AddressedRequest, ClientAddress } from "./client-address.ts";
import { errors, type ProtocolError } from "./envelope.ts";
import type { HandlerContext, HandlerResult } from "./handlers.ts";
import { envelopeBody } from "./json-once.ts";
import type { Logger } from "./log.ts";
import type { OperationEntry, OperationId } from "./spec.ts";
import { retryWhileBusy } from "./store.ts";
import { describeValidationError, type SpecValidators } from "./validation.ts";

type Maybe<T> = T | Promise<T>;

/** An operation's answer: the bytes of a 200 (success or business error), or a protocol error. */
export type Answer = { status: 200; body: string | Buffer } | ProtocolError;

/** What the checks read of a request (its headers and its peer): a Fastify request and node's IncomingMessage. */
type RequestHead = AddressedRequest;

/** What the security checks need of a request, read at the moment of the check. */
export const factsOf = (request: RequestHead, clientAddress: ClientAddress): RequestFacts => ({
  authorization: request.headers.authorization,
  tenantId: request.headers["tenant-id"],
  remoteAddress: clientAddress(request),
  now: Date.now(),
});

const mediaTypeOf = (header: string | undefined): string =>
  header === undefined ? "" : (header.split(";")[0] ?? "").trim().toLowerCase();

/**
 * A JSON request body, parsed the same way on both paths. A valid body may hold "__proto__" or "constructor":
 * {"prototype": ...} keys (a partner's serializer may emit them): they are removed while parsing
 * (secure-json-parse, what Fastify uses), so the rest of the body is served and nothing is polluted. Throws a
 * SyntaxError (with the position) for text that is not JSON.
 */
export function parseJsonBody(text: string): unknown {
  return parseJsonText(text, { protoAction: "remove", constructorAction: "remove" });
}

/** The answer to a body that is not JSON, with the parser's reason (where it stopped). */
export const invalidJson = (error: Error): ProtocolError =>
  errors.badRequest(`request body is not valid JSON: ${error.message}`);

type Handle = (ctx: HandlerContext<OperationId>) => Maybe<HandlerResult<OperationId>>;

export interface ServeDeps {
  security: SecurityModel;
  /** Where a request comes from (client-address.ts). */
  clientAddress: ClientAddress;
  logger: Logger;
  isBusy: (error: unknown) => boolean;
  writeWaitMs: number;
}

export class ServedOperation {
  readonly scope: string;

  constructor(
    readonly entry: OperationEntry,
    private readonly validateBody: ReturnType<SpecValidators["compile"]>,
    private readonly handle: Handle,
    private readonly deps: ServeDeps,
  ) {
    this.scope = entry.scope ?? "";
  }

  // admit, serve and refuseBody never throw and never reject: a check that fails to read the store is answered
  // by `unexpected`, as is a handler that fails, so neither path has failures of its own to handle.

  /** The early verdict on a Bearer request, from its headers alone. */
  admit(request: RequestHead): Maybe<Caller | ProtocolError> {
    let verdict: Maybe<Caller | ProtocolError>;
    try {
      verdict = this.deps.security.authorizeBearer(factsOf(request, this.deps.clientAddress), this.scope);
    } catch (error) {
      return this.unexpected(error);
    }
    return this.settled(verdict);
  }

  /** The request is served: judged again, its body checked, then handled. */
  serve(request: RequestHead, caller: Caller, body: unknown): Maybe<Answer> {
    const served = factsOf(request, this.deps.clientAddress);
    const judged = this.confirmed(caller, served);
    return judged instanceof Promise
      ? judged.then((settled) => this.handleJudged(request, settled, body, served.now))
      : this.handleJudged(request, judged, body, served.now);
  }

  /** A body that could not be parsed: the caller judged and counted first, then `refusal`. */
  refuseBody(request: RequestHead, caller: Caller, refusal: ProtocolError): Maybe<ProtocolError> {
    const judged = this.confirmed(caller, factsOf(request, this.deps.clientAddress));
    return judged instanceof Promise
      ? judged.then((settled) => (isProtocolError(settled) ? settled : refusal))
      : isProtocolError(judged)
        ? judged
        : refusal;
  }

  /** The served-time verdict (security.confirm), a failure to reach it answered by `unexpected`. */
  private confirmed(caller: Caller, facts: RequestFacts): Maybe<Caller | ProtocolError> {
    let verdict: Maybe<Caller | ProtocolError>;
    try {
      verdict = this.deps.security.confirm(caller, facts, this.scope);
    } catch (error) {
      return this.unexpected(error);
    }
    return this.settled(verdict);
  }

  /** A verdict that may still be coming: one that rejects is answered by `unexpected`. */
  private settled(verdict: Maybe<Caller | ProtocolError>): Maybe<Caller | ProtocolError> {
    return verdict instanceof Promise ? verdict.catch((error) => this.unexpected(error)) : verdict;
  }

  private handleJudged(request: RequestHead, judged: Caller | ProtocolError, raw: unknown, now: number): Maybe<Answer> {
    if (isProtocolError(judged)) return judged;
    const caller = judged;
    const { entry } = this;
    if (raw === undefined || raw === null) return errors.badRequest(`request body is missing: send ${entry.mediaType}`);
    const mediaType = mediaTypeOf(request.headers["content-type"]);
    if (mediaType !== entry.mediaType) {
      return errors.badRequest(`Content-Type ${mediaType || "(none)"} is not accepted here: send ${entry.mediaType}`);
    }
    if (!this.validateBody(raw)) return errors.badRequest(describeValidationError(this.validateBody.errors));
    // The body was validated against exactly this operation's schema, which is what its handler's type says.
    const body = raw as never;
    // A write that meets another process's lock is retried off the event loop (retryWhileBusy). The attempt is
    // an unnamed arrow: tsx's keepNames gives every named closure a __name call (Object.defineProperty, ~0.3 µs)
    // each time it is created, which per request is what the hot path avoids.
    let attempts = 0;
    let result: Maybe<HandlerResult<OperationId>>;
    try {
      result = retryWhileBusy(
        () => (attempts++ === 0 ? this.handle({ body, caller, now }) : this.handleAgain(request, caller, body)),
        this.deps.writeWaitMs,
        this.deps.isBusy,
      );
    } catch (error) {
      return this.unexpected(error);
    }
    if (result instanceof Promise) {
      return result.then(
        (settled) => this.answer(settled),
        (error) => this.unexpected(error),
      );
    }
    return this.answer(result);
  }

  /** A retry: the request is judged again (the lock holder may have been a reset-secret), QPS not counted twice. */
  private handleAgain(request: RequestHead, caller: Caller, body: never): Maybe<HandlerResult<OperationId>> {
    const again = this.deps.security.confirm(caller, factsOf(request, this.deps.clientAddress), this.scope, false);
    return again instanceof Promise
      ? again.then((current) => this.handleCurrent(current, body))
      : this.handleCurrent(again, body);
  }

  private handleCurrent(current: Caller | ProtocolError, body: never): Maybe<HandlerResult<OperationId>> {
    return isProtocolError(current) ? current : this.handle({ body, caller: current, now: Date.now() });
  }

  private answer(result: HandlerResult<OperationId>): Answer {
    // Serialised here, reusing the JSON of shared frozen records (json-once.ts).
    if (result.status === 200) return { status: 200, body: envelopeBody(result.body) };
    if (result.cause)
      this.deps.logger.error("handler failed", { operation: this.entry.operationId, cause: result.cause });
    return result;
  }

  /**
   * A check or handler that threw: the store busy past its wait (a retryable 429), or a store that failed or a
   * sandbox bug (500, logged), as Fastify's error handler answers what reaches it.
   */
  private unexpected(error: unknown): ProtocolError {
    if (this.deps.isBusy(error)) return errors.storeBusy();
    const failure = error instanceof Error ? error : new Error(String(error));
    this.deps.logger.error("unexpected error", {
      operation: this.entry.operationId,
      error: failure.message,
      stack: failure.stack,
    });
    return errors.internal();
  }
}
