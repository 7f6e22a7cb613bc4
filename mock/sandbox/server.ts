// The Fastify application, built from the spec's operation table: one route per operation with its security
// checks, its compiled body validator and its handler (serve-operation.ts: the same for every transport). Security
// runs twice by design (see auth.ts): when the headers arrive (onRequest: bad credentials never get their body
// read) and when the request is served (what changed while the body was in flight counts, and QPS is counted
// then). Everything that is not an operation answers in the same envelope: 404, 405, bad JSON, wrong media type,
// oversize bodies, bad HTTP, request timeouts. The common calls of business operations skip Fastify and are
// served from node:http directly (direct-path.ts), with the same checks and answers.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { type Caller, isProtocolError, normaliseIp, SecurityModel } from "./auth.ts";
import { clientAddressFor } from "./client-address.ts";
import type { SandboxConfig } from "./config.ts";
import { clientErrorHandler, createHttpServer } from "./connections.ts";
import { DemoCredentials } from "./demo-credentials.ts";
import { DirectPath } from "./direct-path.ts";
import { registerDocsSite } from "./docs-site.ts";
import type { DomainPort } from "./domain-port.ts";
import { errorEnvelope, errors, type ProtocolError } from "./envelope.ts";
import { createHandlers, type HandlerContext, type HandlerResult } from "./handlers.ts";
import type { Logger } from "./log.ts";
import { type ContractGuard, contractGuard, responseChecker } from "./response-check.ts";
import { type Answer, factsOf, invalidJson, parseJsonBody, ServedOperation } from "./serve-operation.ts";
import { type OperationEntry, type OperationId, operationTable, type SpecDocument } from "./spec.ts";
import type { StoreEngine } from "./store-engine.ts";
import { registerTrafficRecorder } from "./traffic-recorder.ts";
import { specValidators } from "./validation.ts";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    operation?: OperationEntry;
    served?: ServedOperation;
  }
}

export interface SandboxServer {
  app: FastifyInstance;
  operations: OperationEntry[];
  security: SecurityModel;
  /** Which demo applications still answer to their published secret (banner, /docs/environment.json). */
  demoCredentials: DemoCredentials;
  /** The node:http path of the business operations' plain calls (undefined while traffic is recorded). */
  directPath: DirectPath | undefined;
}

/** When a request reached the server, on its IncomingMessage (the direct path keeps its own). */
const arrived = Symbol("arrived");
type Timed = { [arrived]?: number };

function replyError(reply: FastifyReply, error: ProtocolError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.status).send(errorEnvelope(error));
}

export function buildServer(options: {
  config: SandboxConfig;
  store: StoreEngine;
  spec: SpecDocument;
  domain: DomainPort;
  logger: Logger;
}): SandboxServer {
  const { config, store, spec, logger } = options;
  const operations = operationTable(spec);
  const validators = specValidators(spec);
  const security = new SecurityModel(store);
  const clientAddress = clientAddressFor(config.trustedProxies);
  const handlers = createHandlers({ security, domain: options.domain, tokenTtlSeconds: config.tokenTtlSeconds });

  // The access line is written where each answer is sent, not in an onResponse hook: that hook costs a 'finish'
  // listener per request, several microseconds on the hot path.
  const accessLog = logger.enabled("info");
  const logged = (reply: FastifyReply, operation?: OperationId, attemptedClientId?: string): FastifyReply => {
    if (!accessLog) return reply;
    const request = reply.request;
    const url = request.url;
    const query = url.indexOf("?");
    const status = reply.statusCode;
    logger.access({
      method: request.method,
      path: query < 0 ? url : url.slice(0, query),
      status,
      ms: Math.round((performance.now() - ((request.raw as Timed)[arrived] ?? performance.now())) * 100) / 100,
      operation,
      clientId: request.caller?.app.clientId ?? attemptedClientId?.slice(0, 128),
      // Refused calls carry the caller's address, so failed logins can be traced (successes skip the lookup).
      ip: status >= 400 ? normaliseIp(clientAddress(request)) : undefined,
    });
    return reply;
  };
  const sendError = (reply: FastifyReply, error: ProtocolError, operation?: OperationId): FastifyReply =>
    logged(replyError(reply, error), operation, error.clientId);

  const guard = config.validateResponses ? contractGuard(responseChecker(operations, validators), logger) : undefined;
  // The business operations' plain calls, served from node:http (filled by registerOperation). Not while traffic
  // is recorded: the recorder is a Fastify hook.
  const direct = new Map<string, ServedOperation>();
  const directPath = config.recordFile
    ? undefined
    : new DirectPath(direct, config.bodyLimit, logger, guard, clientAddress);

  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimit,
    // Requests on a keep-alive connection during shutdown are served normally (Fastify's 503 is not an envelope);
    // main.ts bounds the shutdown instead.
    return503OnClosing: false,
    serverFactory: (handler) =>
      createHttpServer(config, logger, (request, response) => {
        if (directPath?.take(request, response)) return;
        // For the access line's duration: Fastify times a reply only when it logs or has onResponse hooks.
        (request as Timed)[arrived] = performance.now();
        handler(request, response);
      }),
    // Errors raised before routing (a malformed URL, a bad content-type header) answer in the envelope too.
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, errors.badRequest(describeFrameworkError(error, undefined, config.bodyLimit)));
    },
    // Malformed HTTP and request timeouts never reach a route: answered in the envelope, then the connection closes.
    clientErrorHandler: clientErrorHandler(config),
  });
  app.decorateRequest("caller", null);

  // JSON bodies are parsed as on the direct path (serve-operation.ts parseJsonBody: poisoned keys removed, a syntax
  // error answered with where the text stopped being JSON).
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => {
    if (body === "")
      return done(Object.assign(new Error("empty body"), { statusCode: 400, code: "FST_ERR_CTP_EMPTY_JSON_BODY" }));
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined);
    }
  });

  // RFC 6749 §3.1: "Request and response parameters MUST NOT be included more than once." A repeated parameter
  // (scope=a&scope=b) is refused rather than letting the last one win silently.
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    const form: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(body as string)) {
      if (Object.hasOwn(form, name)) {
        const error = Object.assign(
          new Error(
            `form parameter ${name.slice(0, 64)} is sent more than once: send each parameter once (RFC 6749 section 3.1)`,
          ),
          {
            statusCode: 400,
            code: "SANDBOX_DUPLICATE_FORM_PARAMETER",
          },
        );
        return done(error, undefined);
      }
      form[name] = value;
    }
    done(null, form);
  });

  const methodsByPath = new Map<string, string[]>();
  for (const entry of operations) {
    methodsByPath.set(entry.path, [...(methodsByPath.get(entry.path) ?? []), entry.method]);
    registerOperation(entry);
  }
  logger.info(`routing to ${operations.length} paths with ${operations.length} validators`, {
    operations: operations.map((o) => o.operationId),
  });

  function registerOperation(entry: OperationEntry): void {
    // The body was validated against exactly this operation's schema, which is what its handler's type says.
    const handle = handlers[entry.operationId] as unknown as (
      ctx: HandlerContext<OperationId>,
    ) => HandlerResult<OperationId> | Promise<HandlerResult<OperationId>>;
    const served = new ServedOperation(entry, validators.compile(entry.requestSchemaPointer), handle, {
      security,
      clientAddress,
      logger,
      isBusy: store.isBusy,
      writeWaitMs: config.writeWaitMs,
    });
    if (DirectPath.serves(served)) direct.set(entry.path, served);
    const answer = (reply: FastifyReply, result: Answer): FastifyReply => {
      if (result.status !== 200) return sendError(reply, result, entry.operationId);
      reply.code(200).header("content-type", "application/json; charset=utf-8");
      return logged(reply.send(result.body), entry.operationId);
    };

    /** The early verdict on a Bearer request: refused in the envelope, or its caller kept for the handler. */
    const admitBearer = (
      request: FastifyRequest,
      reply: FastifyReply,
      done: (error?: Error) => void,
      caller: Caller | ProtocolError,
    ): void => {
      if (isProtocolError(caller)) return void sendError(reply, caller, entry.operationId);
      request.caller = caller;
      done();
    };

    app.route({
      method: entry.method,
      url: entry.path,
      config: { operation: entry, served },
      // The early check, before the body is read: a request with bad credentials never costs its body.
      onRequest:
        entry.auth === "bearer"
          ? (request, reply, done) => {
              const caller = served.admit(request);
              if (caller instanceof Promise) caller.then((settled) => admitBearer(request, reply, done, settled), done);
              else admitBearer(request, reply, done, caller);
            }
          : async (request, reply) => {
              const caller = await security.authenticateClient(factsOf(request, clientAddress));
              if (isProtocolError(caller)) return sendError(reply, caller, entry.operationId);
              request.caller = caller;
            },
      // Synchronous unless something answers a promise: no extra microtask turns on the hot path. A synchronous
      // Fastify handler must return undefined once it has sent: returning the reply makes Fastify send it again,
      // which builds (and discards) an FST_ERR_REP_ALREADY_SENT error with its stack trace on every request.
      handler: (request, reply) => {
        const result = served.serve(request, request.caller as Caller, request.body);
        if (result instanceof Promise) return result.then((settled) => void answer(reply, settled));
        answer(reply, result);
      },
    });
  }

  const demoCredentials = new DemoCredentials(store.sql);
  registerDocsSite(
    app,
    config.docsDir,
    (reply) => logged(reply),
    () => demoCredentials.usable(),
  );

  // For a load balancer: 200 while this instance can reach its store, else 503 (the instance should get no
  // traffic). Not an API operation, so not in the envelope.
  app.get("/healthz", async (_request, reply) => {
    const reachable = await store.sql.get("SELECT 1 AS ok").then(
      () => true,
      () => false,
    );
    reply.code(reachable ? 200 : 503).header("cache-control", "no-store");
    return logged(reply.send({ status: reachable ? "ok" : "store unreachable", store: store.kind }));
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split("?")[0] ?? request.url;
    const allowed = methodsByPath.get(path);
    sendError(
      reply,
      allowed ? errors.methodNotAllowed(request.method, path, allowed) : errors.notFound(request.method, path),
    );
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const entry = request.routeOptions.config.operation;
    if (store.isBusy(error)) {
      sendError(reply, errors.storeBusy(), entry?.operationId);
      return;
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error("unexpected error", { url: request.url, error: error.message, stack: error.stack });
      sendError(reply, errors.internal(), entry?.operationId);
      return;
    }
    const badRequest =
      error instanceof SyntaxError
        ? invalidJson(error)
        : errors.badRequest(describeFrameworkError(error, entry, config.bodyLimit));
    const caller = request.caller;
    const served = request.routeOptions.config.served;
    if (!entry || !caller || !served) return void sendError(reply, badRequest, entry?.operationId);
    // A body that could not be parsed still comes from a caller accepted at headers time (serve-operation.ts).
    const refused = served.refuseBody(request, caller, badRequest);
    if (refused instanceof Promise) return refused.then((settled) => void sendError(reply, settled, entry.operationId));
    sendError(reply, refused, entry.operationId);
  });

  if (guard) installResponseValidation(app, guard);
  if (config.recordFile) registerTrafficRecorder(app, config.recordFile);

  return { app, operations, security, demoCredentials, directPath };
}

/** A one-line message for the errors Fastify raises before a handler runs (body parsing, limits, URL). */
function describeFrameworkError(error: FastifyError, entry: OperationEntry | undefined, bodyLimit: number): string {
  const expected = entry?.mediaType ?? "application/json";
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return `request body is larger than ${bodyLimit} bytes: send a smaller body`;
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return `this Content-Type is not accepted here: send ${expected}`;
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return "request body is empty: send a JSON object";
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return "Content-Length does not match the body: send the whole body";
    case "FST_ERR_BAD_URL":
      return "the URL is malformed: check its percent-encoding";
    case "SANDBOX_DUPLICATE_FORM_PARAMETER":
      return error.message;
    default:
      return `bad request: ${error.message}`;
  }
}

/** Tests: every response is checked against the spec; a mismatch becomes a loud 500 and an error line. */
function installResponseValidation(app: FastifyInstance, guard: ContractGuard): void {
  app.addHook("onSend", (request, reply, payload, done) => {
    const contentType = String(reply.getHeader("content-type") ?? "");
    if (!contentType.startsWith("application/json")) return done(null, payload);
    // The docs site's own JSON (downloads, environment.json) is not an API answer; its 404s are, and stay checked.
    if (request.url.startsWith("/docs/") && reply.statusCode < 400) return done(null, payload);
    if (request.url === "/healthz") return done(null, payload);
    const replacement = guard(request.routeOptions.config.operation, request, reply.statusCode, payload, (name) =>
      reply.getHeader(name),
    );
    if (replacement === undefined) return done(null, payload);
    reply.code(500);
    done(null, replacement);
  });
}
