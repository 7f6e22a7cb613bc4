// The one error class the SDK throws for anything the platform (or the network) answered with.
import { type BusinessKey, businessErrorOf } from "./generated/business-codes.js";

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

/** The operation that exchanges the client credentials for a token: its failures need their own advice. */
const TOKEN_OPERATION = "issueToken";

// What a partner can do about each kind; appended to the message so a log line alone is actionable.
const ADVICE: Record<OpenApiErrorKind, string> = {
  auth: "the platform refused the fresh token the SDK fetched for this call: check that tenantId is the one issued with these credentials, and ask platform operations whether the application is enabled",
  scope:
    "the application lacks the operation's scope, the tenant-id does not match, or the IP is not whitelisted: ask platform operations",
  rateLimit: "the application exceeded its QPS limit after every retry: lower the call rate or ask for a higher QPS",
  validation: "fix the request: the message says which parameter is wrong",
  business: "the platform refused the request for a business reason: see the operation's business error codes",
  network: "no answer arrived after every retry: check connectivity to baseUrl",
  server: "the platform failed: retry later and report it if it persists",
};

/** The advice for a failure of the token request itself, where no token was involved yet. */
const TOKEN_AUTH_ADVICE =
  "the token request (POST /open-api/system/oauth2/token) refused the client credentials: check clientId, clientSecret and tenantId";

function adviceFor(details: OpenApiErrorDetails): string {
  if (details.kind === "auth" && details.operationId === TOKEN_OPERATION) return TOKEN_AUTH_ADVICE;
  return ADVICE[details.kind];
}

export class OpenApiError extends Error {
  override readonly name = "OpenApiError";
  readonly kind: OpenApiErrorKind;
  readonly operationId: string;
  readonly status: number | null;
  readonly code: number | null;
  readonly msg: string;
  readonly attempts: number;
  readonly retryAfterMs: number | undefined;
  /**
   * The stable key of a business code the spec lists (`"GOODS_NOT_EXISTS"`), to compare with `BusinessCode`;
   * null for other kinds and for a code the spec does not list.
   */
  readonly businessKey: BusinessKey | null;

  constructor(details: OpenApiErrorDetails) {
    const answer =
      details.status === null ? "no HTTP answer" : `HTTP ${details.status}, code ${details.code ?? "none"}`;
    super(`${details.operationId} failed (${details.kind}, ${answer}): ${details.msg} - ${adviceFor(details)}`, {
      cause: details.cause,
    });
    this.kind = details.kind;
    this.operationId = details.operationId;
    this.status = details.status;
    this.code = details.code;
    this.msg = details.msg;
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.businessKey =
      details.kind === "business" && details.code !== null ? (businessErrorOf(details.code)?.key ?? null) : null;
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
