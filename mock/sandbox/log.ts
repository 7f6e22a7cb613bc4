// Structured logs: one JSON object per line on stdout, batched and written every few milliseconds so logging
// stays off the request's critical path (one write for many lines). Secrets and tokens never reach a line: fields with a sensitive name are replaced, and
// credentials inside strings (Authorization values, token=/secret= pairs) are masked.
import type { LogLevel } from "./config.ts";

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };
const sensitiveKey = /authorization|secret|token|password|cookie/i;
const sensitiveText = [
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, "$1 [redacted]"],
  [/\b(token|access_token|client_secret|secret)=[^&\s"]+/gi, "$1=[redacted]"],
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
    // Counts and flags about tokens are harmless; their values are not.
    out[key] = sensitiveKey.test(key) && typeof item === "string" ? "[redacted]" : redact(item, depth + 1);
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
   * operation, clientId) can hold no credential, so it skips the redaction walk.
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
}

const flushEveryMs = 10;

export function createLogger(level: LogLevel, write: (chunk: string) => void = (c) => process.stdout.write(c)): Logger {
  let buffer = "";
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (buffer === "") return;
    const chunk = buffer;
    buffer = "";
    write(chunk);
  };
  const threshold = order[level];
  const append = (line: string) => {
    buffer += line;
    if (!scheduled) {
      scheduled = true;
      setTimeout(flush, flushEveryMs);
    } else if (buffer.length > 64 * 1024) {
      flush();
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
        `{"time":"${isoNow()}","level":"info","msg":"request","method":${JSON.stringify(fields.method)},"path":${JSON.stringify(fields.path)},"status":${fields.status},"ms":${fields.ms}${fields.operation ? `,"operation":"${fields.operation}"` : ""}${fields.clientId ? `,"clientId":${JSON.stringify(fields.clientId)}` : ""}}\n`,
      );
    },
    flush,
  };
}
