// The one error class the SDK throws for anything the platform (or the network) answered with.

/** What went wrong, to switch on. */
export type OpenApiErrorKind = "auth" | "scope" | "rateLimit" | "validation" | "business" | "network" | "server";

export interface OpenApiErrorDetails {
  kind: OpenApiErrorKind;
  /** The operation that failed (`getGoodsDetail`, `issueToken`, ...). */
  operationId: string;
  /** The HTTP status, or null when no answer arrived (network error). */
  status: number | null;
  /** The envelope's `code` (a protocol status or a business code), or null when there was no envelope. */
  code: number | null;
  /** The envelope's `msg`, or a description of the failure when there was no envelope. */
  msg: string;
  /** How many HTTP attempts were made for this call, retries included. */
  attempts: number;
  /** The wait the platform asked for with `Retry-After`, in milliseconds, when it sent one. */
  retryAfterMs?: number;
  cause?: unknown;
}

// What a partner can do about each kind; appended to the message so a log line alone is actionable.
const ADVICE: Record<OpenApiErrorKind, string> = {
  auth: "check clientId, clientSecret and tenantId; the SDK already fetched a fresh token and retried once",
  scope:
    "the application lacks the operation's scope, the tenant-id does not match, or the IP is not whitelisted: ask platform operations",
  rateLimit: "the application exceeded its QPS limit after every retry: lower the call rate or ask for a higher QPS",
  validation: "fix the request: the message says which parameter is wrong",
  business: "the platform refused the request for a business reason: see the operation's business error codes",
  network: "no answer arrived after every retry: check connectivity to baseUrl",
  server: "the platform failed: retry later and report it if it persists",
};

export class OpenApiError extends Error {
  override readonly name = "OpenApiError";
  readonly kind: OpenApiErrorKind;
  readonly operationId: string;
  readonly status: number | null;
  readonly code: number | null;
  readonly msg: string;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;

  constructor(details: OpenApiErrorDetails) {
    const answer =
      details.status === null ? "no HTTP answer" : `HTTP ${details.status}, code ${details.code ?? "none"}`;
    super(`${details.operationId} failed (${details.kind}, ${answer}): ${details.msg} - ${ADVICE[details.kind]}`, {
      cause: details.cause,
    });
    this.kind = details.kind;
    this.operationId = details.operationId;
    this.status = details.status;
    this.code = details.code;
    this.msg = details.msg;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/** The kind of a protocol status (the HTTP status, or the envelope code when it names one). */
export function kindOfStatus(status: number): OpenApiErrorKind {
  if (status === 401) return "auth";
  if (status === 403) return "scope";
  if (status === 429) return "rateLimit";
  if (status >= 500) return "server";
  return "validation";
}
