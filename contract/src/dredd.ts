// Layer 1: Dredd 14 over generated/openapi.json (it reads the 3.1 file with "not fully supported" warnings), run
// in-process with the hooks in dredd-hooks.cjs. Each transaction becomes a `dredd_transaction` outcome; a failure
// the hooks name ("[check] ...") is also reported under that check.
import { EventEmitter } from "node:events";
import { createRequire } from "node:module";
import { dreddHooksPath } from "./assets.ts";
import type { ApiRequest, Auth } from "./http.ts";
import type { Outcome } from "./results.ts";
import { type RunContext, selectedOperations, wants } from "./run-context.ts";

const require = createRequire(import.meta.url);

// winston 2 inside Dredd reads a missing export during a circular require, and Node prints a warning about it on
// every run. It says nothing about the server under test: filter that one warning out, pass every other through.
const warningListeners = process.listeners("warning");
process.removeAllListeners("warning");
process.on("warning", (warning) => {
  if (warning.message.includes("'padLevels'")) return;
  for (const listener of warningListeners) listener(warning);
});

/** How dredd-hooks.cjs provokes each error status (see its beforeEach). */
const shapedAs: Record<string, string> = {
  "400": "sent without tenant-id",
  "401": "sent without Authorization",
  "403": "sent with another tenant's tenant-id",
};

interface DreddTest {
  title?: string;
  message?: string;
  origin?: { resourceName?: string; actionName?: string };
  request?: { method?: string; uri?: string; headers?: Record<string, string>; body?: string };
  expected?: { statusCode?: string };
  actual?: { statusCode?: number };
  errors?: { message?: string }[];
  results?: { fields?: Record<string, { errors?: { message?: string }[] }> };
}

interface DreddInstance {
  run: (
    callback: (
      error: Error | null,
      stats: { tests: number; failures: number; errors: number; skipped: number },
    ) => void,
  ) => void;
}
type DreddConstructor = new (config: Record<string, unknown>) => DreddInstance;

export async function runDreddLayer(ctx: RunContext, _env: NodeJS.ProcessEnv): Promise<void> {
  const { client, spec, options } = ctx;
  const creds = client.credentials;
  const Dredd = require("dredd") as DreddConstructor;
  // Dredd always adds its CLI reporter, which prints request headers (tokens, Basic credentials) on failure:
  // silence it; the runner reports every transaction itself, redacted.
  const reporterLogger = require("dredd/build/reporters/reporterOutputLogger.js") as {
    default: { transports: { console: { silent: boolean } } };
  };
  reporterLogger.default.transports.console.silent = true;
  const emitter = new EventEmitter();
  const opByPath = new Map(spec.operations.map((op) => [op.path, op]));
  // --operations and --exclude-operations hold for Dredd too: the hooks skip the other paths' transactions.
  const selected = new Set(selectedOperations(ctx));
  // One recipe for "the token the hooks used": the hooks obtain it exactly this way.
  const recipe = client.tokenRecipe(creds.main);

  const toRequest = (test: DreddTest): ApiRequest | undefined => {
    const req = test.request;
    if (!req?.uri || !req.method) return undefined;
    const headers = Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]));
    const authorization = headers.authorization;
    let auth: Auth = { kind: "none" };
    if (authorization?.startsWith("Basic ")) auth = { kind: "basic", client: creds.main };
    else if (authorization?.startsWith("Bearer "))
      auth = { kind: "bearer", token: { value: authorization.slice(7), scope: "", recipe } };
    return {
      method: req.method,
      path: req.uri,
      tenantId: headers["tenant-id"] ?? null,
      auth,
      contentType: headers["content-type"],
      body: req.body || undefined,
    };
  };

  const messageOf = (test: DreddTest): string => {
    const parts = [
      ...(test.errors ?? []).map((e) => e.message ?? ""),
      ...Object.entries(test.results?.fields ?? {}).flatMap(([field, r]) =>
        (r.errors ?? []).map((e) => `${field}: ${e.message ?? ""}`),
      ),
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(" | ") : (test.message ?? "failed");
  };

  const operationOf = (test: DreddTest) =>
    opByPath.get(test.origin?.resourceName ?? "")?.operationId ?? test.origin?.resourceName ?? "-";
  const add = (outcome: Omit<Outcome, "layer">) => {
    // A setup failure (no token for the hooks) is reported whatever --checks says: nothing else could run.
    if (wants(ctx, outcome.check) || outcome.check === "dredd_transaction" || outcome.check === "dredd_setup")
      ctx.results.add({ layer: "dredd", ...outcome });
  };
  // A line every 10 transactions: against a slow gateway the layer takes a while.
  const progress = () => {
    const done = passed + failed + skipped;
    if (done % 10 === 0) ctx.log(`dredd: ${done} transactions, ${failed} failed so far`);
  };
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  emitter.on("test pass", (test: DreddTest, done: () => void) => {
    passed++;
    progress();
    add({ check: "dredd_transaction", operation: operationOf(test), ok: true });
    done?.();
  });
  emitter.on("test skip", (_test: DreddTest, done: () => void) => {
    skipped++;
    progress();
    done?.();
  });
  const onFail = (test: DreddTest, done: () => void) => {
    failed++;
    progress();
    const operation = operationOf(test);
    const request = toRequest(test);
    const curl = request ? client.redactor.redact(client.curl(request)) : undefined;
    const message = client.redactor.redact(messageOf(test));
    const expected = test.expected?.statusCode ?? "?";
    const how = shapedAs[expected] ? ` ${shapedAs[expected]}` : "";
    const status = `${test.request?.method ?? ""} ${test.origin?.resourceName ?? ""}${how} (expected ${expected}, got ${test.actual?.statusCode ?? "no answer"})`;
    const op = opByPath.get(test.origin?.resourceName ?? "");
    const rule = op ? `${op.pointer}/responses/${expected} (Dredd transaction ${test.title ?? ""})` : test.title;
    add({ check: "dredd_transaction", operation, ok: false, message: `${status}: ${message}`, rule, curl });
    // "[check] text (rule: pointer)" items written by the hooks.
    for (const match of message.matchAll(/\[(\w+)\] ([^|]*?)(?: \(rule: ([^)]*)\))?(?= \||$)/g)) {
      add({
        check: match[1] ?? "dredd_transaction",
        operation,
        ok: false,
        message: `${status}: ${match[2]}`,
        rule: match[3],
        curl,
      });
    }
    done?.();
  };
  emitter.on("test fail", onFail);
  emitter.on("test error", (error: Error, test: DreddTest, done: () => void) => {
    onFail({ ...test, errors: [{ message: `Dredd could not run the transaction: ${error.message}` }] }, done);
  });

  const dredd = new Dredd({
    endpoint: options.baseUrl,
    path: [spec.path],
    hookfiles: [dreddHooksPath],
    reporter: [],
    output: [],
    loglevel: "silent",
    emitter,
    custom: {
      contract: {
        endpoint: client.baseUrl,
        profile: options.profile,
        specPath: spec.path,
        tenantId: creds.tenantId,
        otherTenantId: client.otherTenantId,
        skipPaths: spec.operations.filter((op) => !selected.has(op)).map((op) => op.path),
        basic: `Basic ${Buffer.from(`${creds.main.clientId}:${creds.main.clientSecret}`).toString("base64")}`,
      },
    },
  });
  const stats = await new Promise<{ tests: number }>((resolve, reject) =>
    dredd.run((error, s) => (error ? reject(error) : resolve(s))),
  );
  ctx.log(
    `dredd: ${stats.tests} transactions, ${passed} passed, ${failed} failed, ${skipped} skipped (429/500 cannot be provoked${options.profile === "mock" ? "; 403 needs a stateful server" : ""})`,
  );
}
