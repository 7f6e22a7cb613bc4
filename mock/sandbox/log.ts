// Structured logs: one JSON object per line on stdout, batched and written every few milliseconds so logging
// stays off the request's critical path (one write for many lines). Secrets and tokens never reach a line: fields
// with a sensitive name are replaced whatever they hold (strings, arrays, objects; numbers and flags such as
// `prunedTokens: 3` stay), and credentials inside strings are masked: Authorization values of any characters,
// `name=value` pairs, and `"name":"value"` pairs of JSON text (a payload quoted in an error line).
//
// Hand-written rather than pino's `redact` (Fastify ships pino): pino redacts fields by path, but the leaks this
// logger must stop are inside strings (a response payload quoted in a contract-violation line, a URL, a message),
// which path-based redaction cannot see; the per-request access line is also written without any walk at all.
import type { LogLevel } from "./config.ts";

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const sensitiveKey = /authori[sz]ation|secret|token|password|passwd|cookie|credential/i;
const sensitiveName =
  "(?:access_token|refresh_token|id_token|token|client_?secret|clientSecret|secret|password|passwd|authorization|cookie)";
const sensitiveText = [
  // Authorization values: everything up to the next space, quote or end (odd characters included).
  [/\b(Bearer|Basic)\s+[^\s"'\\,;]+/gi, "$1 [redacted]"],
  // "access_token":"...", also escaped inside a JSON string (\"access_token\":\"...\").
  [new RegExp(`(\\\\?"${sensitiveName}\\\\?"\\s*:\\s*\\\\?")(?:[^"\\\\]|\\\\[^"])*`, "gi"), "$1[redacted]"],
  // token=..., clientSecret=..., password=... in query strings, form bodies and free text.
  [new RegExp(`\\b(${sensitiveName})=[^&\\s"',;]+`, "gi"), "$1=[redacted]"],
] as const;

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of sensitiveText) out = out.replace(pattern, replacement);
  return out;
}

export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object" || depth > 5) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // Counts and flags about tokens are harmless; any other value under a sensitive name is not.
    const harmless = item === null || typeof item === "number" || typeof item === "boolean";
    out[key] = sensitiveKey.test(key) && !harmless ? "[redacted]" : redact(item, depth + 1);
  }
  return out;
}

export interface Logger {
  enabled: (level: LogLevel) => boolean;
  debug: (msg: string, fields?: Record<string, unknown>) => void;
  info: (msg: string, fields?: Record<string, unknown>) => void;
  warn: (msg: string, fields?: Record<string, unknown>) => void;
  error: (msg: string, fields?: Record<string, unknown>) => void;
  /**
   * The per-request access line, on the hot path: its fields (method, path without query, status, timing,
   * operation, clientId, and on refused calls the client IP) can hold no credential, so it skips the redaction
   * walk. On a refused login `clientId` is the one the caller named (never its secret), JSON-escaped.
   */
  access: (fields: AccessFields) => void;
  flush: () => void;
}

export interface AccessFields {
  method: string;
  path: string;
  status: number;
  ms: number;
  operation: string | undefined;
  clientId: string | undefined;
  /** The caller's IP, on refused calls (status >= 400). */
  ip?: string | undefined;
}

const flushEveryMs = 10;
/** Bytes of lines held between flushes; a fuller buffer is written at once. */
const bufferBytes = 64 * 1024;

/**
 * JSON string literals of the access line's repeating values (methods, operation paths, client IDs), made once:
 * the same few values are on nearly every line. Bounded: values seen after 1,024 distinct ones are quoted anew.
 */
const quotedValues = new Map<string, string>();
function quoted(value: string): string {
  let text = quotedValues.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (quotedValues.size < 1024 && value.length <= 256) quotedValues.set(value, text);
  }
  return text;
}

/**
 * Lines are encoded into a byte buffer as they come and the buffer is written as it is: appending each line to a
 * string and encoding the whole string at the flush cost ~1 µs more per access line over HTTP (a long concatenated
 * string to flatten, then to measure and encode as UTF-8 again), ~5% of a goods read.
 */
export function createLogger(level: LogLevel, write: (chunk: Buffer) => void = (c) => process.stdout.write(c)): Logger {
  let bytes = Buffer.allocUnsafe(bufferBytes);
  let used = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (used === 0) return;
    const chunk = bytes.subarray(0, used);
    // A new buffer: the writer may still hold the last one (a pipe's write can finish later).
    bytes = Buffer.allocUnsafe(bufferBytes);
    used = 0;
    write(chunk);
  };
  const threshold = order[level];
  const append = (line: string) => {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a line that might not fit goes after what is held.
    if (used + line.length * 3 > bufferBytes) {
      flush();
      if (line.length * 3 > bufferBytes) return write(Buffer.from(line));
    }
    used += bytes.write(line, used);
    if (!scheduled) {
      scheduled = true;
      setTimeout(flush, flushEveryMs);
    }
  };
  const emit = (lineLevel: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lineLevel] < threshold) return;
    const line = {
      time: new Date().toISOString(),
      level: lineLevel,
      msg: redactText(msg),
      ...(fields ? (redact(fields) as object) : {}),
    };
    append(`${JSON.stringify(line)}\n`);
  };
  const accessEnabled = order.info >= threshold;
  // One ISO timestamp per millisecond, not per line: under load many lines share it.
  let stampMs = 0;
  let stamp = "";
  const isoNow = () => {
    const now = Date.now();
    if (now !== stampMs) {
      stampMs = now;
      stamp = new Date(now).toISOString();
    }
    return stamp;
  };
  return {
    enabled: (lineLevel) => order[lineLevel] >= threshold,
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    access: (fields) => {
      if (!accessEnabled) return;
      append(
        `{"time":"${isoNow()}","level":"info","msg":"request","method":${quoted(fields.method)},"path":${quoted(fields.path)},"status":${fields.status},"ms":${fields.ms}${fields.operation ? `,"operation":"${fields.operation}"` : ""}${fields.clientId ? `,"clientId":${quoted(fields.clientId)}` : ""}${fields.ip ? `,"ip":${JSON.stringify(fields.ip)}` : ""}}\n`,
      );
    },
    flush,
  };
}
