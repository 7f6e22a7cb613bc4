// Structured logs: one JSON object per line on stdout, batched per event-loop turn so logging stays off the
// request's critical path. Secrets and tokens never reach a line: fields with a sensitive name are replaced, and
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
  flush: () => void;
}

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
  const emit = (lineLevel: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[lineLevel] < threshold) return;
    const line = {
      time: new Date().toISOString(),
      level: lineLevel,
      msg: redactText(msg),
      ...(fields ? (redact(fields) as object) : {}),
    };
    buffer += `${JSON.stringify(line)}\n`;
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return {
    enabled: (lineLevel) => order[lineLevel] >= threshold,
    debug: (msg, fields) => emit("debug", msg, fields),
    info: (msg, fields) => emit("info", msg, fields),
    warn: (msg, fields) => emit("warn", msg, fields),
    error: (msg, fields) => emit("error", msg, fields),
    flush,
  };
}
