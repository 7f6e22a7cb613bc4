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

/**
 * The envelope code of a 2xx JSON answer, and the answer again with its body unread for the next reader.
 * An error status already says what happened, so its body is left alone.
 */
export async function readEnvelopeCode(response: Response): Promise<[Response, number | undefined]> {
  if (response.status < 200 || response.status > 299) return [response, undefined];
  if (!response.headers.get("content-type")?.includes("json")) return [response, undefined];
  // Reading the text and re-wrapping it is cheaper than Response.clone(), which tees the stream.
  const text = await response.text();
  const again = new Response(text, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
  try {
    const body: unknown = JSON.parse(text);
    return [again, isEnvelope(body) ? body.code : undefined];
  } catch {
    return [again, undefined];
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
