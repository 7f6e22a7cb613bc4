// The `{code, data, msg}` envelope and the protocol errors, with the messages of openapi/components/examples.
import { STATUS_CODES } from "node:http";
export interface Envelope<T = unknown> {
  code: number;
  data: T;
  msg: string;
}

export type ProtocolStatus = 400 | 401 | 403 | 404 | 405 | 408 | 417 | 429 | 500;

/** A protocol error: HTTP status and envelope code are the same number. */
export interface ProtocolError {
  status: ProtocolStatus;
  msg: string;
  headers?: Record<string, string>;
  /** For the log only (never sent): why a 500 happened. */
  cause?: string;
  /** For the log only (never sent): the clientId a failed Basic login named (never its secret). */
  clientId?: string;
}

export const success = <T>(data: T): Envelope<T> => ({ code: 0, data, msg: "" });

const bearerRealm = 'Bearer realm="open-api"';
const basicRealm = 'Basic realm="open-api", charset="UTF-8"';

export const errors = {
  badRequest: (msg: string): ProtocolError => ({ status: 400, msg }),
  tenantMissing: (): ProtocolError => ({
    status: 400,
    msg: "tenant-id header is missing: every request must carry the tenant-id issued with your credentials",
  }),
  tenantMalformed: (): ProtocolError => ({
    status: 400,
    msg: "tenant-id header must be a positive integer: send the tenant-id issued with your credentials",
  }),
  tokenMissing: (): ProtocolError => ({
    status: 401,
    msg: "Authorization header is missing: send Authorization: Bearer {access_token}",
    headers: { "www-authenticate": bearerRealm },
  }),
  notBearer: (): ProtocolError => ({
    status: 401,
    msg: "Authorization must use the Bearer scheme on business endpoints: send Authorization: Bearer {access_token}",
    headers: { "www-authenticate": `${bearerRealm}, error="invalid_request"` },
  }),
  tokenInvalid: (): ProtocolError => ({
    status: 401,
    msg: "access token is invalid: fetch a new token and retry",
    headers: { "www-authenticate": `${bearerRealm}, error="invalid_token"` },
  }),
  tokenExpired: (): ProtocolError => ({
    status: 401,
    msg: "access token has expired: fetch a new token and retry",
    headers: { "www-authenticate": `${bearerRealm}, error="invalid_token", error_description="expired"` },
  }),
  tokenRevoked: (): ProtocolError => ({
    status: 401,
    msg: "access token has been revoked: fetch a new token and retry",
    headers: { "www-authenticate": `${bearerRealm}, error="invalid_token", error_description="revoked"` },
  }),
  clientAuthMissing: (): ProtocolError => ({
    status: 401,
    msg: "client authentication is missing: send Authorization: Basic base64(clientId:clientSecret)",
    headers: { "www-authenticate": basicRealm },
  }),
  clientAuthFailed: (): ProtocolError => ({
    status: 401,
    msg: "client authentication failed: check clientId and clientSecret",
    headers: { "www-authenticate": basicRealm },
  }),
  insufficientScope: (scope: string): ProtocolError => ({
    status: 403,
    msg: `insufficient scope: this operation requires ${scope}`,
    headers: { "www-authenticate": `${bearerRealm}, error="insufficient_scope", scope="${scope}"` },
  }),
  tokenTenantMismatch: (tenant: string): ProtocolError => ({
    status: 403,
    msg: `tenant-id ${tenant} does not match the token's tenant: send the tenant-id issued with your credentials`,
  }),
  clientTenantMismatch: (tenant: string): ProtocolError => ({
    status: 403,
    msg: `tenant-id ${tenant} is not this application's tenant: send the tenant-id issued with your credentials`,
  }),
  ipNotWhitelisted: (ip: string): ProtocolError => ({
    status: 403,
    msg: `IP ${ip} is not in this application's whitelist`,
  }),
  rateLimited: (qps: number, retryAfter: number): ProtocolError => ({
    status: 429,
    msg: `rate limit exceeded: at most ${qps} requests per second for this application; retry after ${retryAfter} s`,
    headers: { "retry-after": String(retryAfter) },
  }),
  loginThrottled: (retryAfter: number): ProtocolError => ({
    status: 429,
    msg: `too many failed logins for this clientId or from this IP: check the credentials, then retry after ${retryAfter} s`,
    headers: { "retry-after": String(retryAfter) },
  }),
  verificationBusy: (): ProtocolError => ({
    status: 429,
    msg: "too many client logins are being verified right now: retry after 1 s",
    headers: { "retry-after": "1" },
  }),
  // 429 rather than 503: the spec documents 429 + Retry-After as the retryable answer, and clients retry it.
  storeBusy: (): ProtocolError => ({
    status: 429,
    msg: "the sandbox store is busy (another process holds its write lock, e.g. the admin CLI): retry after 1 s",
    headers: { "retry-after": "1" },
  }),
  requestTimeout: (seconds: number): ProtocolError => ({
    status: 408,
    msg: `request timed out: the whole request must arrive within ${seconds} s; send it again without pausing`,
  }),
  expectationFailed: (expect: string): ProtocolError => ({
    status: 417,
    msg: `Expect: ${expect.slice(0, 40)} is not supported: send the request without an Expect header (or with Expect: 100-continue)`,
  }),
  notFound: (method: string, path: string): ProtocolError => ({
    status: 404,
    msg: `no operation at ${method} ${path}: see the API reference under /docs/ for the paths`,
  }),
  methodNotAllowed: (method: string, path: string, allowed: string[]): ProtocolError => ({
    status: 405,
    msg: `${method} is not allowed on ${path}: use ${allowed.join(", ")}`,
    headers: { allow: allowed.join(", ") },
  }),
  internal: (): ProtocolError => ({ status: 500, msg: "internal error: please retry later" }),
};

export const errorEnvelope = (error: ProtocolError): Envelope<null> => ({
  code: error.status,
  data: null,
  msg: error.msg,
});

/**
 * A whole HTTP/1.1 response in the envelope, for answers written straight to a socket (malformed HTTP, request
 * timeouts) where no Fastify reply exists. The connection is closed after it.
 */
export function rawEnvelopeResponse(error: ProtocolError): string {
  const body = JSON.stringify(errorEnvelope(error));
  const extra = Object.entries(error.headers ?? {})
    .filter(([name]) => name !== "connection")
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join("");
  return `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}Connection: close\r\n\r\n${body}`;
}
