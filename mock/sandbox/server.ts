// The Fastify application, built from the spec's operation table: one route per operation with its security
// check (onRequest, before the body is read), its compiled body validator and its handler. Everything that is not
// an operation answers in the same envelope: 404, 405, bad JSON, wrong media type, oversize bodies, bad HTTP.
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { type Caller, isProtocolError, SecurityModel } from "./auth.ts";
import type { SandboxConfig } from "./config.ts";
import { registerDocsSite } from "./docs-site.ts";
import type { DomainPort } from "./domain-port.ts";
import { errorEnvelope, errors, type ProtocolError } from "./envelope.ts";
import { createHandlers, type HandlerContext, type HandlerResult } from "./handlers.ts";
import type { Logger } from "./log.ts";
import { type ResponseChecker, responseChecker } from "./response-check.ts";
import { type OperationEntry, type OperationId, operationTable, type SpecDocument } from "./spec.ts";
import type { Db } from "./store.ts";
import { describeValidationError, specValidators } from "./validation.ts";

declare module "fastify" {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    operation?: OperationEntry;
  }
}

export interface SandboxServer {
  app: FastifyInstance;
  operations: OperationEntry[];
  security: SecurityModel;
}

function replyError(reply: FastifyReply, error: ProtocolError): FastifyReply {
  if (error.headers) reply.headers(error.headers);
  return reply.code(error.status).send(errorEnvelope(error));
}

const mediaTypeOf = (header: string | undefined): string =>
  header === undefined ? "" : (header.split(";")[0] ?? "").trim().toLowerCase();

export function buildServer(options: {
  config: SandboxConfig;
  db: Db;
  spec: SpecDocument;
  domain: DomainPort;
  logger: Logger;
}): SandboxServer {
  const { config, db, spec, logger } = options;
  const operations = operationTable(spec);
  const validators = specValidators(spec);
  const security = new SecurityModel(db);
  const handlers = createHandlers({ security, domain: options.domain, tokenTtlSeconds: config.tokenTtlSeconds });

  // The access line is written where each answer is sent, not in an onResponse hook: that hook costs a 'finish'
  // listener per request, several microseconds on the hot path.
  const accessLog = logger.enabled("info");
  const logged = (reply: FastifyReply, operation?: OperationId): FastifyReply => {
    if (!accessLog) return reply;
    const url = reply.request.url;
    const query = url.indexOf("?");
    logger.access({
      method: reply.request.method,
      path: query < 0 ? url : url.slice(0, query),
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      operation,
      clientId: reply.request.caller?.app.clientId,
    });
    return reply;
  };
  const sendError = (reply: FastifyReply, error: ProtocolError, operation?: OperationId): FastifyReply =>
    logged(replyError(reply, error), operation);

  const app = Fastify({
    logger: false,
    bodyLimit: config.bodyLimit,
    onProtoPoisoning: "remove",
    onConstructorPoisoning: "remove",
    // Errors raised before routing (a malformed URL, a bad content-type header) answer in the envelope too.
    frameworkErrors: (error, _request, reply) => {
      sendError(reply, errors.badRequest(describeFrameworkError(error, undefined, config.bodyLimit)));
    },
    // Malformed HTTP never reaches a route: answer it in the envelope too, then close the connection.
    clientErrorHandler(error, socket) {
      if (!socket.writable) return void socket.destroy();
      const body = JSON.stringify(errorEnvelope(errors.badRequest(`malformed HTTP request: ${error.message}`)));
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  app.decorateRequest("caller", null);

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
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
    const validateBody = validators.compile(entry.requestSchemaPointer);
    // The body was validated against exactly this operation's schema, which is what its handler's type says.
    const handle = handlers[entry.operationId] as unknown as (
      ctx: HandlerContext<OperationId>,
    ) => HandlerResult<OperationId> | Promise<HandlerResult<OperationId>>;
    const scope = entry.scope ?? "";
    const facts = (request: FastifyRequest) => ({
      authorization: request.headers.authorization,
      tenantId: request.headers["tenant-id"],
      remoteAddress: request.socket.remoteAddress,
      now: Date.now(),
    });
    const answer = (reply: FastifyReply, result: HandlerResult<OperationId>): FastifyReply => {
      if (result.status === 200) return logged(reply.code(200).send(result.body), entry.operationId);
      if (result.cause) logger.error("handler failed", { operation: entry.operationId, cause: result.cause });
      return sendError(reply, result, entry.operationId);
    };

    app.route({
      method: entry.method,
      url: entry.path,
      config: { operation: entry },
      onRequest:
        entry.auth === "bearer"
          ? (request, reply, done) => {
              const caller = security.authorizeBearer(facts(request), scope);
              if (isProtocolError(caller)) return void sendError(reply, caller, entry.operationId);
              request.caller = caller;
              done();
            }
          : async (request, reply) => {
              const caller = await security.authenticateClient(facts(request));
              if (isProtocolError(caller)) return sendError(reply, caller, entry.operationId);
              request.caller = caller;
            },
      // Synchronous unless the handler answers a promise: no extra microtask turns on the hot path. A synchronous
      // Fastify handler must return undefined once it has sent: returning the reply makes Fastify send it again,
      // which builds (and discards) an FST_ERR_REP_ALREADY_SENT error with its stack trace on every request.
      handler: (request, reply) => {
        const caller = request.caller as Caller;
        if (request.body === undefined || request.body === null) {
          sendError(reply, errors.badRequest(`request body is missing: send ${entry.mediaType}`), entry.operationId);
          return;
        }
        const mediaType = mediaTypeOf(request.headers["content-type"]);
        if (mediaType !== entry.mediaType) {
          sendError(
            reply,
            errors.badRequest(`Content-Type ${mediaType || "(none)"} is not accepted here: send ${entry.mediaType}`),
            entry.operationId,
          );
          return;
        }
        if (!validateBody(request.body)) {
          sendError(reply, errors.badRequest(describeValidationError(validateBody.errors)), entry.operationId);
          return;
        }
        const result = handle({ body: request.body as never, caller, now: Date.now() });
        if (result instanceof Promise) return result.then((settled) => void answer(reply, settled));
        answer(reply, result);
      },
    });
  }

  registerDocsSite(app, config.docsDir, (reply) => logged(reply));

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
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      logger.error("unexpected error", { url: request.url, error: error.message, stack: error.stack });
      sendError(reply, errors.internal(), entry?.operationId);
      return;
    }
    sendError(reply, errors.badRequest(describeFrameworkError(error, entry, config.bodyLimit)), entry?.operationId);
  });

  if (config.validateResponses) installResponseValidation(app, responseChecker(operations, validators), logger);

  return { app, operations, security };
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
    default:
      if (error instanceof SyntaxError || error.code === "FST_ERR_CTP_INVALID_JSON_BODY") {
        return `request body is not valid JSON: ${error.message}`;
      }
      return `bad request: ${error.message}`;
  }
}

/** Tests: every response is checked against the spec; a mismatch becomes a loud 500 and an error line. */
function installResponseValidation(app: FastifyInstance, check: ResponseChecker, logger: Logger): void {
  app.addHook("onSend", (request, reply, payload, done) => {
    const contentType = String(reply.getHeader("content-type") ?? "");
    if (!contentType.startsWith("application/json")) return done(null, payload);
    const problem = check(request.routeOptions.config.operation, reply.statusCode, payload, (name) =>
      reply.getHeader(name),
    );
    if (!problem) return done(null, payload);
    logger.error("RESPONSE_CONTRACT_VIOLATION", {
      method: request.method,
      path: request.url.split("?")[0],
      status: reply.statusCode,
      problem,
    });
    reply.code(500);
    done(null, JSON.stringify({ code: 500, data: null, msg: `RESPONSE_CONTRACT_VIOLATION: ${problem}` }));
  });
}
