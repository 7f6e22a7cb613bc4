// The sandbox's settings, read once from the environment. Every variable is documented in mock/README.md.
import { join } from "node:path";
import { clientAddressFor } from "./client-address.ts";
import { repoRoot } from "./paths.ts";

export interface SandboxConfig {
  host: string;
  port: number;
  /** SQLite file, ":memory:" for a fresh store that vanishes on exit, or a postgres:// URL (several instances). */
  dbPath: string;
  /** SANDBOX_PG_POOL: PostgreSQL connections per instance. */
  postgresPoolSize: number;
  tokenTtlSeconds: number;
  /** Validate every response against the spec and turn a mismatch into a loud 500 (tests set it). */
  validateResponses: boolean;
  logLevel: LogLevel;
  /** Largest request body accepted, in bytes. */
  bodyLimit: number;
  docsDir: string;
  /** The whole request (headers and body) must arrive within this time, else 408 and the connection closes. */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this time. */
  idleTimeoutMs: number;
  /** Open connections at most; more are closed as they are accepted. */
  maxConnections: number;
  /** On SIGTERM/SIGINT, requests in flight get this long before every connection is closed. */
  shutdownGraceMs: number;
  /**
   * How long a write waits for another process's lock (SQLite: the admin CLI's write lock; PostgreSQL: a row lock,
   * such as a code's under a redemption elsewhere) before answering a retryable 429.
   */
  writeWaitMs: number;
  /** SANDBOX_RECORD: append every exchange to this NDJSON file for `npm run drift` (off when unset). */
  recordFile: string | undefined;
  /**
   * SANDBOX_TRUSTED_PROXIES: the balancers and reverse proxies in front of the sandbox, whose X-Forwarded-For
   * is believed (client-address.ts). None by default: the client is the TCP peer.
   */
  trustedProxies: string[];
}

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const logLevels: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const logLevel = (env.SANDBOX_LOG_LEVEL ?? "info") as LogLevel;
  if (!logLevels.includes(logLevel)) {
    throw new Error(`SANDBOX_LOG_LEVEL must be one of ${logLevels.join(", ")}, got "${env.SANDBOX_LOG_LEVEL}"`);
  }
  return {
    host: env.HOST || "127.0.0.1",
    port: integer(env, "PORT", 4010, 0, 65535),
    dbPath: env.SANDBOX_DB || join(repoRoot, ".sandbox", "sandbox.db"),
    postgresPoolSize: integer(env, "SANDBOX_PG_POOL", 10, 1, 500),
    tokenTtlSeconds: integer(env, "SANDBOX_TOKEN_TTL", 1800, 1, 86_400 * 30),
    validateResponses: env.SANDBOX_VALIDATE_RESPONSES === "1",
    logLevel,
    bodyLimit: integer(env, "SANDBOX_BODY_LIMIT", 64 * 1024, 1024, 16 * 1024 * 1024),
    docsDir: env.SANDBOX_DOCS_DIR || join(repoRoot, "docs", "dist"),
    requestTimeoutMs: integer(env, "SANDBOX_REQUEST_TIMEOUT", 10, 1, 600) * 1000,
    idleTimeoutMs: 5000,
    maxConnections: integer(env, "SANDBOX_MAX_CONNECTIONS", 512, 1, 65_535),
    shutdownGraceMs: integer(env, "SANDBOX_SHUTDOWN_GRACE", 3, 0, 60) * 1000,
    writeWaitMs: 2000,
    recordFile: env.SANDBOX_RECORD || undefined,
    trustedProxies: trustedProxies(env.SANDBOX_TRUSTED_PROXIES),
  };
}

/** The comma-separated list, each entry checked now: a typo must stop the start, not trust the wrong hop. */
function trustedProxies(raw: string | undefined): string[] {
  const entries = (raw ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  try {
    clientAddressFor(entries);
  } catch (error) {
    throw new Error(
      `SANDBOX_TRUSTED_PROXIES must list IP addresses, CIDR ranges or loopback, linklocal, uniquelocal: ${(error as Error).message}`,
    );
  }
  return entries;
}
