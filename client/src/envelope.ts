// The platform's `{code, data, msg}` envelope: which status it really means, and its data or an OpenApiError.
import { kindOfStatus, OpenApiError } from "./errors.js";

export interface Envelope {
  code: number;
  data: unknown;
  msg: string;
}

export function isEnvelope(body: unknown): body is Envelope {
  if (typeof body !== "object" || body === null) return false;
  const candidate = body as Record<string, unknown>;
  return typeof candidate.code === "number" && "data" in candidate && typeof candidate.msg === "string";
}

/** Protocol errors carry their HTTP status in `code`; business codes are 900 or ten digits, never in this range. */
export function isProtocolCode(code: number): boolean {
  return Number.isInteger(code) && code >= 400 && code <= 599;
}

/**
 * The status an answer really means. The envelope's code decides as well as the HTTP status: a gateway that
 * answers HTTP 200 with `code: 401` means 401. Business errors (HTTP 200, another non-zero code) stay 200.
 */
export function effectiveStatus(httpStatus: number, body: unknown): number {
  if (isEnvelope(body) && isProtocolCode(body.code)) return body.code;
  return httpStatus;
}

/** A body read once: its text, and what it holds (the JSON, or the text itself when it is not JSON). */
export interface ReadBody {
  text: string;
  /** The parsed JSON; undefined for an empty body; the text when it is not JSON. */
  body: unknown;
  /** False when a non-empty body is not JSON (an HTML error page of a proxy, say). */
  json: boolean;
}

export async function readBody(response: Response): Promise<ReadBody> {
  const text = await response.text();
  if (text === "") return { text, body: undefined, json: true };
  try {
    return { text, body: JSON.parse(text), json: true };
  } catch {
    return { text, body: text, json: false };
  }
}

/** An answer after the SDK looked into it: the response again, and, for a 2xx one, what its body held. */
export interface ReadAnswer {
  /** The response; re-wrapped with its body unread when asked to (for openapi-fetch to read it again). */
  response: Response;
  /** True when the body was read (a 2xx answer that may have one). */
  read: boolean;
  /** The envelope's code, when the body is an envelope. */
  code: number | undefined;
  /** The parsed body, when read, so nobody parses it again. */
  body: unknown;
  /** False when a non-empty body is not JSON. */
  json: boolean;
}

/**
 * Reads the envelope code of a 2xx answer. With `rewrap`, hands back the answer with its body unread for
 * openapi-fetch (the raw client, whose caller reads it). Error statuses are left alone: the status already says
 * what happened.
 */
export async function readEnvelopeCode(response: Response, rewrap = true): Promise<ReadAnswer> {
  const { status } = response;
  if (status < 200 || status > 299 || status === 204 || status === 205) {
    return { response, read: false, code: undefined, body: undefined, json: true };
  }
  // Reading the text and re-wrapping it is cheaper than Response.clone(), which tees the stream.
  const { text, body, json } = await readBody(response);
  // Re-wrapped only when someone else reads the body again: a new Response with a body costs a stream per call.
  const again = rewrap
    ? new Response(text, { status, statusText: response.statusText, headers: response.headers })
    : response;
  return { response: again, read: true, code: isEnvelope(body) ? body.code : undefined, body, json };
}

/** The envelope's `data` on success (code 0), otherwise an OpenApiError of the right kind. */
export function unwrapEnvelope(
  operationId: string,
  httpStatus: number,
  body: unknown,
  attempts: number,
  retryAfterMs?: number,
): unknown {
  if (!isEnvelope(body)) {
    const ok = httpStatus >= 200 && httpStatus <= 299;
    throw new OpenApiError({
      kind: ok ? "server" : kindOfStatus(httpStatus),
      operationId,
      status: httpStatus,
      code: null,
      msg: ok
        ? "the answer is not the platform's {code, data, msg} envelope (is baseUrl the platform's gateway?)"
        : `HTTP ${httpStatus} without the platform's {code, data, msg} envelope`,
      attempts,
    });
  }
  const status = effectiveStatus(httpStatus, body);
  if (status >= 200 && status <= 299 && body.code === 0) return body.data;
  throw new OpenApiError({
    kind: status >= 200 && status <= 299 ? "business" : kindOfStatus(status),
    operationId,
    status: httpStatus,
    code: body.code,
    msg: body.msg || "(no message)",
    attempts,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}
