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

/** A 2xx answer after its body was read once: the response again, unread, and what the body held. */
export interface ReadAnswer {
  response: Response;
  /** The envelope's code, when the body is an envelope. */
  code: number | undefined;
  /** The parsed body, when there was one, so nobody parses it again. */
  body?: unknown;
  /** False when a non-empty body is not JSON (an HTML error page of a proxy, say). */
  json: boolean;
}

/**
 * Reads the envelope code of a 2xx answer and hands back the answer with its body unread for openapi-fetch.
 * Error statuses are left alone: the status already says what happened.
 */
export async function readEnvelopeCode(response: Response, rewrap = true): Promise<ReadAnswer> {
  const { status } = response;
  if (status < 200 || status > 299 || status === 204 || status === 205)
    return { response, code: undefined, json: true };
  // Reading the text and re-wrapping it is cheaper than Response.clone(), which tees the stream.
  const text = await response.text();
  // Re-wrapped only when someone else reads the body again (the raw openapi-fetch client): a new Response
  // with a body costs a stream per call.
  const again = rewrap
    ? new Response(text, { status, statusText: response.statusText, headers: response.headers })
    : response;
  if (text === "") return { response: again, code: undefined, json: true };
  try {
    const body: unknown = JSON.parse(text);
    return { response: again, code: isEnvelope(body) ? body.code : undefined, body, json: true };
  } catch {
    return { response: again, code: undefined, json: false };
  }
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
