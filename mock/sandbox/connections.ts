// The HTTP server under Fastify and what a slow or idle client may hold: request and header timeouts (answered
// in the envelope), an idle timeout, a connection cap, and a graceful stop that cannot hang on a stalled client.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { SandboxConfig } from "./config.ts";
import { errorEnvelope, errors, rawEnvelopeResponse } from "./envelope.ts";
import type { Logger } from "./log.ts";

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The node:http server Fastify runs on (its serverFactory). Node checks request timeouts every
 * `connectionsCheckingInterval` (30 s by default): the interval is set to a quarter of the timeout so a stalled
 * request is cut within ~1.25× the timeout.
 */
export function createHttpServer(config: SandboxConfig, logger: Logger, handler: Handler): Server {
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: config.requestTimeoutMs,
      keepAliveTimeout: config.idleTimeoutMs,
      connectionsCheckingInterval: Math.max(250, Math.floor(config.requestTimeoutMs / 4)),
    },
    handler,
  );
  // A connection that sends nothing at all (not even a request line) for this long is closed.
  server.setTimeout(config.idleTimeoutMs * 2);
  // Connections beyond the cap are closed by Node as they are accepted ('drop'): they hold nothing then.
  server.maxConnections = config.maxConnections;
  let droppedSince = 0;
  server.on("drop", () => {
    if (droppedSince++ === 0) {
      setTimeout(() => {
        logger.warn("connection cap reached: connections closed on accept", {
          maxConnections: config.maxConnections,
          dropped: droppedSince,
        });
        droppedSince = 0;
      }, 1000).unref();
    }
  });
  // `Expect: 200-ok` and friends: answered in the envelope instead of Node's bare 417.
  server.on("checkExpectation", (request, response) => {
    const error = errors.expectationFailed(String(request.headers.expect ?? ""));
    const body = JSON.stringify(errorEnvelope(error));
    response.writeHead(error.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(body),
      connection: "close",
    });
    response.end(body);
  });
  return server;
}

/** Fastify's clientErrorHandler: malformed HTTP and request timeouts, answered in the envelope, then closed. */
export function clientErrorHandler(config: SandboxConfig) {
  return (error: NodeJS.ErrnoException, socket: Socket): void => {
    const inProgress = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
    if (!socket.writable || inProgress?.headersSent) return void socket.destroy();
    const answer =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? errors.requestTimeout(Math.round(config.requestTimeoutMs / 1000))
        : errors.badRequest(`malformed HTTP request: ${error.message}`);
    socket.end(rawEnvelopeResponse(answer));
    // A client that does not read its answer must not keep the socket either.
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/**
 * The connections' part of a stop (Fastify's close stops accepting and waits for connections to end): idle
 * connections close now; whatever is still open after `graceMs` (a request in flight, a client trickling a
 * body) is closed then, so no client can keep the process alive. Returns a function that cancels the timer.
 */
export function closeConnections(server: Server, graceMs: number): () => void {
  server.closeIdleConnections();
  const force = setTimeout(() => server.closeAllConnections(), graceMs);
  force.unref();
  return () => clearTimeout(force);
}
