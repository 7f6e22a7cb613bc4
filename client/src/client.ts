// createOpenApiClient: the partner-facing object. One typed method per operation over an openapi-fetch client
// whose fetch (transport.ts) handles tenant-id, tokens and retries.
import createClient, { type Client } from "openapi-fetch";
import { type CallContext, CallRequest, CallScope, PendingRequest, SDK_CALL } from "./calls.js";
import { unwrapEnvelope } from "./envelope.js";
import { OpenApiError } from "./errors.js";
import type { components } from "./generated/schema.js";
import {
  type BusinessOperationId,
  type CallOptions,
  OPERATION_PATHS,
  type OperationMethods,
  type PartnerPaths,
  type ResultData,
} from "./operations.js";
import {
  type ImageSearchIterationQuery,
  iterateGoodsByImage,
  iterateGoodsQc,
  type QcIterationQuery,
} from "./pagination.js";
import { parseRetryAfter, type RetryOptions, resolveRetryOptions } from "./retry.js";
import { createRuntimeFetch } from "./runtime-fetch.js";
import { type IssuedToken, TokenCache } from "./token-cache.js";
import { type ClientHooks, createTransport, defaultSleep, type FetchLike } from "./transport.js";

type Schemas = components["schemas"];

export interface OpenApiClientOptions {
  /** The gateway, e.g. `https://api-qa.rizzitbuy.com` (sandbox) or `https://api.rizzitgo.com` (production). */
  baseUrl: string;
  /** The application's clientId, issued by platform operations. */
  clientId: string;
  /** The application's clientSecret. Server-side only: never ship it to a browser or an app. */
  clientSecret: string;
  /** The tenant-id issued with the credentials; the SDK sends it on every request. */
  tenantId: string | number;
  /** The scopes to ask for (space-separated or a list). Default: every scope granted to the application. */
  scope?: string | readonly string[];
  /** The fetch to use. Default `globalThis.fetch` (Node 20+, browsers, Deno, Bun, workers). */
  fetch?: FetchLike;
  /** Backoff for 429, 502-504 and network errors; `false` for a single attempt. Defaults in DEFAULT_RETRY. */
  retry?: Partial<RetryOptions> | false;
  /** Refresh the token when fewer than this many seconds of its lifetime remain. Default 60. */
  refreshBufferSeconds?: number;
  /** Clock, sleep, randomness and requestId generation, for tests and unusual runtimes. */
  hooks?: ClientHooks;
}

export interface OpenApiClient extends OperationMethods {
  /** Every QC record matching the filters, one at a time (pages through `pageGoodsQc`). */
  iterateGoodsQc(query: QcIterationQuery, options?: CallOptions): AsyncGenerator<Schemas["QcDetail"], void, undefined>;
  /** Every goods item similar to the image, one at a time (pages through `searchGoodsByImage`). */
  iterateGoodsByImage(
    query: ImageSearchIterationQuery,
    options?: CallOptions,
  ): AsyncGenerator<Schemas["ImageSearchGoods"], void, undefined>;
  /** Revokes the cached access token at the platform and forgets it; the next call fetches a new one. */
  revokeToken(): Promise<void>;
  /** Cancels every call in flight, revokes the cached token (errors ignored) and refuses further calls. */
  close(): Promise<void>;
  /** The underlying openapi-fetch client, with tenant-id, tokens and retries applied, for anything else. */
  readonly raw: Client<PartnerPaths>;
}

interface ValidOptions {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  tenantId: string;
}

function validate(options: OpenApiClientOptions): ValidOptions {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(
      "createOpenApiClient: pass an options object with baseUrl, clientId, clientSecret and tenantId",
    );
  }
  const required = (name: keyof ValidOptions, what: string): string => {
    const value: unknown = options[name];
    const text = typeof value === "number" && Number.isFinite(value) ? String(value) : value;
    if (typeof text !== "string" || text.trim() === "") {
      throw new TypeError(`createOpenApiClient: ${name} is missing or empty: pass ${what}`);
    }
    return text.trim();
  };
  const baseUrl = required("baseUrl", "the gateway URL, e.g. https://api-qa.rizzitbuy.com");
  const clientId = required("clientId", "the clientId issued by platform operations");
  const clientSecret = required("clientSecret", "the clientSecret issued by platform operations (shown once)");
  const tenantId = required("tenantId", "the tenant-id issued with your credentials");
  // A baseUrl may hold a password (`https://user:secret@host`): never echo one that has an "@" in an error.
  const shown = baseUrl.includes("@") ? "" : ` "${baseUrl}"`;
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`createOpenApiClient: baseUrl${shown} is not a URL: pass e.g. https://api-qa.rizzitbuy.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new TypeError(`createOpenApiClient: baseUrl must be an http(s) URL, got "${url.protocol}"`);
  }
  if (url.username !== "" || url.password !== "") {
    // The platform authenticates with clientId/clientSecret only; credentials in the URL would end up in logs and
    // error messages (every error names the origin it called).
    throw new TypeError(
      "createOpenApiClient: baseUrl must not contain a user name or password (user:secret@): pass only the gateway's origin, e.g. https://api-qa.rizzitbuy.com, and the credentials as clientId and clientSecret",
    );
  }
  return { baseUrl: baseUrl.replace(/\/+$/, ""), clientId, clientSecret, tenantId };
}

/** Base64 of UTF-8 text without Node's Buffer, so the SDK runs wherever fetch does. */
function base64(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function formBody(body: Record<string, string | undefined>): string {
  const form = new URLSearchParams();
  for (const [key, value] of Object.entries(body)) if (value !== undefined) form.set(key, value);
  return form.toString();
}

interface FetchResult {
  response: Response;
}

/** The per-call options every internal call hands openapi-fetch: the transport reads and answers the body. */
interface CallInit {
  /** openapi-fetch leaves a 2xx body alone: the transport has parsed it already. */
  parseAs: "stream";
  signal?: AbortSignal | undefined;
  [SDK_CALL]: CallContext;
}

function callInit(operationId: string, signal?: AbortSignal): { call: CallContext; init: CallInit } {
  const call: CallContext = { operationId, attempts: 0, body: undefined };
  return { call, init: { parseAs: "stream", signal, [SDK_CALL]: call } };
}

/** openapi-fetch's `Request` option for the internal clients (CallRequest is deliberately not a Request). */
const CALL_REQUEST = CallRequest as unknown as typeof Request;

export function createOpenApiClient(options: OpenApiClientOptions): OpenApiClient {
  const valid = validate(options);
  const hooks = options.hooks ?? {};
  const now = hooks.now ?? Date.now;
  const newRequestId = hooks.newRequestId ?? (() => globalThis.crypto.randomUUID());
  const scope = typeof options.scope === "string" ? options.scope : options.scope?.join(" ");
  const refreshBufferSeconds = options.refreshBufferSeconds ?? 60;
  if (!Number.isFinite(refreshBufferSeconds) || refreshBufferSeconds < 0) {
    throw new TypeError("createOpenApiClient: refreshBufferSeconds must be a number of seconds >= 0");
  }
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  let closed = false;
  // close() aborts every call in this scope at once, the token request they share included.
  const inFlight = new CallScope();

  const tokens = new TokenCache(issueToken, refreshBufferSeconds * 1000, now);
  const transportOptions = {
    fetch: fetchImpl,
    fetchUrl: options.fetch ? undefined : createRuntimeFetch(),
    credentials: { basic: `Basic ${base64(`${valid.clientId}:${valid.clientSecret}`)}`, tenantId: valid.tenantId },
    bearer: tokens,
    retry: resolveRetryOptions(options.retry),
    basePath: new URL(valid.baseUrl).pathname.replace(/\/+$/, ""),
    now,
    sleep: hooks.sleep ?? defaultSleep,
    random: hooks.random ?? Math.random,
  };
  const transport = createTransport({ ...transportOptions, scope: inFlight });
  // The typed methods and the token requests: openapi-fetch with lightweight CallRequests, no middleware.
  const calls = createClient<PartnerPaths>({ baseUrl: valid.baseUrl, fetch: transport, Request: CALL_REQUEST });
  // The client handed out as `raw`: real Requests, for the caller's middleware; the same transport.
  const raw = createClient<PartnerPaths>({ baseUrl: valid.baseUrl, fetch: transport, Request: PendingRequest });
  // The revocation close() sends after it aborted everything else: the only request outside `inFlight`.
  const callsAfterClose = createClient<PartnerPaths>({
    baseUrl: valid.baseUrl,
    fetch: createTransport(transportOptions),
    Request: CALL_REQUEST,
  });

  /** The success `data` of a call's answer (parsed by the transport), or the OpenApiError its envelope stands for. */
  function unwrap(call: CallContext, response: Response): unknown {
    const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
    return unwrapEnvelope(call.operationId, response.status, call.body, call.attempts, retryAfterMs);
  }

  async function issueToken(): Promise<IssuedToken> {
    const body =
      scope === undefined
        ? { grant_type: "client_credentials" as const }
        : { grant_type: "client_credentials" as const, scope };
    const { call, init } = callInit("issueToken");
    const result = await calls.POST(OPERATION_PATHS.issueToken, {
      body,
      bodySerializer: formBody,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      ...init,
    });
    // The shape is checked below: a token endpoint that answers something else must not poison the cache.
    const token = unwrap(call, result.response) as Partial<Schemas["AccessToken"]> | null;
    if (
      typeof token?.access_token !== "string" ||
      token.access_token === "" ||
      typeof token.expires_in !== "number" ||
      !(token.expires_in > 0)
    ) {
      throw new OpenApiError({
        kind: "server",
        operationId: "issueToken",
        status: result.response.status,
        code: 0,
        msg: "the token endpoint answered without an access_token and a positive expires_in",
        attempts: call.attempts,
      });
    }
    return { accessToken: token.access_token, expiresInSeconds: token.expires_in };
  }

  async function run<K extends BusinessOperationId>(
    operationId: K,
    callOptions: CallOptions | undefined,
    send: (init: CallInit) => Promise<FetchResult>,
  ): Promise<ResultData<K>> {
    if (closed) throw new Error(`${operationId}: this client was closed; create a new one with createOpenApiClient`);
    // SDK_CALL: openapi-fetch hands every option it does not know to its Request class, here a CallRequest, so the
    // transport learns the operation and leaves the answer's body and attempts in `call`.
    const { call, init } = callInit(operationId, callOptions?.signal);
    const result = await send(init);
    // unwrapEnvelope checked `code === 0` at run time; ResultData<K> is the spec's type of that envelope's data.
    return unwrap(call, result.response) as ResultData<K>;
  }

  const methods = {
    getGoodsDetail: (body, o) =>
      run("getGoodsDetail", o, (init) => calls.POST(OPERATION_PATHS.getGoodsDetail, { body, ...init })),
    getGoodsQcDetail: (body, o) =>
      run("getGoodsQcDetail", o, (init) => calls.POST(OPERATION_PATHS.getGoodsQcDetail, { body, ...init })),
    listGoodsQcImages: (body, o) =>
      run("listGoodsQcImages", o, (init) => calls.POST(OPERATION_PATHS.listGoodsQcImages, { body, ...init })),
    pageGoodsQc: (body, o) =>
      run("pageGoodsQc", o, (init) => calls.POST(OPERATION_PATHS.pageGoodsQc, { body, ...init })),
    searchGoodsByImage: (body, o) =>
      run("searchGoodsByImage", o, (init) => calls.POST(OPERATION_PATHS.searchGoodsByImage, { body, ...init })),
    parseGoodsUrl: (body, o) =>
      run("parseGoodsUrl", o, (init) => calls.POST(OPERATION_PATHS.parseGoodsUrl, { body, ...init })),
    redeemCouponCode: (body, o) => {
      // One requestId per logical call, generated here once: every retry below resends the same body, so the
      // platform processes the redemption at most once however often the network fails.
      const idempotent = body.requestId ? body : { ...body, requestId: newRequestId() };
      return run("redeemCouponCode", o, (init) =>
        calls.POST(OPERATION_PATHS.redeemCouponCode, { body: idempotent, ...init }),
      );
    },
  } satisfies OperationMethods;

  async function revokeToken(via: Client<PartnerPaths> = calls): Promise<void> {
    const token = tokens.peek();
    if (token === undefined) return;
    tokens.invalidate(token);
    const { call, init } = callInit("revokeToken");
    const result = await via.POST(OPERATION_PATHS.revokeToken, {
      body: { token },
      bodySerializer: formBody,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      ...init,
    });
    unwrap(call, result.response);
  }

  return {
    ...methods,
    iterateGoodsQc: (query, o) => iterateGoodsQc((page) => methods.pageGoodsQc(page, o), query),
    iterateGoodsByImage: (query, o) => iterateGoodsByImage((page) => methods.searchGoodsByImage(page, o), query),
    revokeToken: () => revokeToken(),
    async close() {
      if (closed) return;
      closed = true;
      inFlight.close(
        new DOMException("the client was closed (close() was called) while this call was in flight", "AbortError"),
      );
      await revokeToken(callsAfterClose).catch(() => undefined);
    },
    raw,
  };
}
