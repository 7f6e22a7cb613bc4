// Records every exchange the sandbox answers as one NDJSON line that `redocly drift` reads (`npm run drift`), when
// SANDBOX_RECORD=<file> is set. Off by default: no hook is installed, so it costs nothing when off.
//
// Nothing secret reaches the file: the Authorization header keeps only its scheme (Basic) or the token's first
// 4 characters (Bearer), and every body field named like a secret or a token is masked. Masks keep the value's
// length, so the recorded answers still match the spec's length rules and drift reports only real drift.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";

/** Body fields whose values are credentials (`token_type` is a word, not a token). */
const SECRET_FIELD = /secret|password|(^|_)token$|^token/i;
const KEEP_PREFIX = 4;

/** `abcd****` of the same length: enough to tell two tokens apart in a log, never enough to use one. */
export function maskValue(value: string, keepPrefix = KEEP_PREFIX): string {
  if (value.length <= keepPrefix * 2) return "*".repeat(value.length);
  return value.slice(0, keepPrefix) + "*".repeat(value.length - keepPrefix);
}

export function redactAuthorization(header: string): string {
  const space = header.indexOf(" ");
  if (space < 0) return maskValue(header, 0);
  const scheme = header.slice(0, space);
  const credential = header.slice(space + 1);
  // Basic carries clientId:clientSecret: nothing of it is kept.
  return `${scheme} ${maskValue(credential, scheme.toLowerCase() === "bearer" ? KEEP_PREFIX : 0)}`;
}

function redactFields(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactFields);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] =
      SECRET_FIELD.test(key) && key !== "token_type" && typeof field === "string"
        ? maskValue(field, /secret|password/i.test(key) ? 0 : KEEP_PREFIX)
        : redactFields(field);
  }
  return out;
}

/** A body as text with its secret fields masked: JSON and form bodies are rewritten, anything else is kept. */
export function redactBody(body: string, contentType: string): string {
  if (contentType.includes("json")) {
    try {
      return JSON.stringify(redactFields(JSON.parse(body)));
    } catch {
      return body;
    }
  }
  if (contentType.includes("application/x-www-form-urlencoded")) {
    const form = new URLSearchParams(body);
    const masked = redactFields(Object.fromEntries(form)) as Record<string, string>;
    return new URLSearchParams(masked).toString();
  }
  return body;
}

function headersOf(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(", ") : String(value);
    out[name.toLowerCase()] = name.toLowerCase() === "authorization" ? redactAuthorization(text) : text;
  }
  return out;
}

/** The request body as it came in: Fastify has parsed it already, so it is serialised back in its media type. */
function requestBodyText(request: FastifyRequest): string | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string") return body;
  const contentType = String(request.headers["content-type"] ?? "");
  if (contentType.includes("application/x-www-form-urlencoded")) {
    return new URLSearchParams(body as Record<string, string>).toString();
  }
  return JSON.stringify(body);
}

export interface RecordedExchange {
  startedAt: string;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body?: string };
}

export function exchangeRecord(request: FastifyRequest, reply: FastifyReply, payload: unknown): RecordedExchange {
  const requestHeaders = headersOf(request.headers);
  const responseHeaders = headersOf(reply.getHeaders() as Record<string, unknown>);
  const requestBody = requestBodyText(request);
  const responseBody = typeof payload === "string" ? payload : Buffer.isBuffer(payload) ? payload.toString() : "";
  return {
    startedAt: new Date(Date.now() - reply.elapsedTime).toISOString(),
    request: {
      method: request.method,
      url: `${request.protocol}://${request.host}${request.url}`,
      headers: requestHeaders,
      ...(requestBody === undefined ? {} : { body: redactBody(requestBody, requestHeaders["content-type"] ?? "") }),
    },
    response: {
      status: reply.statusCode,
      headers: responseHeaders,
      body: redactBody(responseBody, responseHeaders["content-type"] ?? ""),
    },
  };
}

/**
 * Appends one line per answered request to `file`. Registered last, so it records what was really sent (after the
 * response check, if any). Only the API is recorded: the docs site under /docs/ is not part of the contract.
 */
export function registerTrafficRecorder(app: FastifyInstance, file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  app.addHook("onSend", (request, reply, payload, done) => {
    if (!request.url.startsWith("/docs")) {
      // Synchronous on purpose: a sandbox stopped by a signal loses no line. Recording is a test mode, not a hot path.
      appendFileSync(file, `${JSON.stringify(exchangeRecord(request, reply, payload))}\n`);
    }
    done(null, payload);
  });
}
