// The business operations' common requests, served straight from node:http without Fastify. Fastify's own work per
// request (its request and reply objects, hook runners, body reader, reply pipeline) was ~1.4 µs of the ~20 µs a
// goods read costs and ~1.8 µs of a redemption's ~36 (interleaved A/B), and the sandbox must stay within 15% of a
// bare node:http server (bench/sandbox-floor.ts).
//
// Only requests whose headers leave nothing to interpret take this path: POST to an operation's exact path (no
// query), a Bearer operation, `Content-Type: application/json` (optionally `; charset=utf-8`), a Content-Length
// within the body limit, no Transfer-Encoding, no Expect. Everything else (the token endpoints, other media types,
// chunked or oversize bodies, unknown paths, other methods) goes to Fastify, which answers it as before. Both paths
// run the same checks in the same order with the same answers (serve-operation.ts); a test sends the same requests
// down both and compares the answers byte for byte (test/sandbox/direct-path.test.ts).
//
// What the server does around every request stays the server's: request and header timeouts (408 in the envelope
// through clientErrorHandler), the connection cap, keep-alive. A request refused when its headers arrive is
// answered without its body being read (node reads and discards it after the answer, so the connection stays
// usable). SANDBOX_RECORD needs Fastify's hooks: with it set, every request goes through Fastify.
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Caller, isProtocolError, normaliseIp } from "./auth.ts";
import type { ClientAddress } from "./client-address.ts";
import { errorEnvelope, type ProtocolError } from "./envelope.ts";
import type { Logger } from "./log.ts";
import type { ContractGuard } from "./response-check.ts";
import { type Answer, invalidJson, parseJsonBody, type ServedOperation } from "./serve-operation.ts";

const JSON_TYPE = "application/json; charset=utf-8";

export class DirectPath {
  private readonly accessLog: boolean;
  /** Requests this path took (the rest went to Fastify): for tests and profiling. */
  taken = 0;

  constructor(
    private readonly routes: ReadonlyMap<string, ServedOperation>,
    private readonly bodyLimit: number,
    private readonly logger: Logger,
    private readonly guard: ContractGuard | undefined,
    private readonly clientAddress: ClientAddress,
  ) {
    this.accessLog = logger.enabled("info");
  }

  /** Which operations this path serves: the Bearer ones with JSON bodies (the token endpoints stay Fastify's). */
  static serves(operation: ServedOperation): boolean {
    return operation.entry.auth === "bearer" && operation.entry.mediaType === "application/json";
  }

  /** Serves the request when its headers say it is a plain call of an operation; false leaves it to Fastify. */
  take(request: IncomingMessage, response: ServerResponse): boolean {
    if (request.method !== "POST") return false;
    const operation = this.routes.get(request.url as string);
    if (operation === undefined) return false;
    const headers = request.headers;
    const type = headers["content-type"];
    if (type !== "application/json" && type?.toLowerCase() !== JSON_TYPE) return false;
    if (headers["transfer-encoding"] !== undefined || headers.expect !== undefined) return false;
    // Number(undefined) is NaN: a request without Content-Length is Fastify's too.
    const length = Number(headers["content-length"]);
    if (!(length > 0 && length <= this.bodyLimit)) return false;
    const started = performance.now();
    this.taken += 1;
    const admitted = operation.admit(request);
    if (admitted instanceof Promise) {
      admitted.then((caller) => this.readBody(request, response, operation, started, caller));
    } else {
      this.readBody(request, response, operation, started, admitted);
    }
    return true;
  }

  private readBody(
    request: IncomingMessage,
    response: ServerResponse,
    operation: ServedOperation,
    started: number,
    admitted: Caller | ProtocolError,
  ): void {
    if (isProtocolError(admitted)) {
      this.send(request, response, operation, started, admitted, undefined);
      return;
    }
    const clientId = admitted.app.clientId;
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    // node ends the body at exactly Content-Length bytes; a client that sends less and stalls meets the request
    // timeout, one that disconnects never reaches 'end'.
    request.on("end", () => {
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString("utf8");
      let body: unknown;
      try {
        body = parseJsonBody(text);
      } catch (error) {
        const refusal = invalidJson(error as Error);
        return this.answer(
          request,
          response,
          operation,
          started,
          clientId,
          operation.refuseBody(request, admitted, refusal),
        );
      }
      this.answer(request, response, operation, started, clientId, operation.serve(request, admitted, body));
    });
  }

  /** Sends the answer now, or when it is ready (ServedOperation's answers never reject). */
  private answer(
    request: IncomingMessage,
    response: ServerResponse,
    operation: ServedOperation,
    started: number,
    clientId: string,
    answer: Answer | Promise<Answer>,
  ): void {
    if (answer instanceof Promise) {
      answer.then((settled) => this.send(request, response, operation, started, settled, clientId));
    } else {
      this.send(request, response, operation, started, answer, clientId);
    }
  }

  private send(
    request: IncomingMessage,
    response: ServerResponse,
    operation: ServedOperation,
    started: number,
    answer: Answer,
    /** The admitted caller's (undefined when refused at headers time). */
    clientId: string | undefined,
  ): void {
    let status: number = answer.status;
    let body = answer.status === 200 ? answer.body : JSON.stringify(errorEnvelope(answer));
    const extra = answer.status === 200 ? undefined : answer.headers;
    if (this.guard) {
      const replacement = this.guard(
        operation.entry,
        request as { method: string; url: string },
        status,
        body,
        (name) => extra?.[name],
      );
      if (replacement !== undefined) {
        status = 500;
        body = replacement;
      }
    }
    const length = typeof body === "string" ? Buffer.byteLength(body) : body.length;
    response.writeHead(
      status,
      extra
        ? { ...extra, "content-type": JSON_TYPE, "content-length": length }
        : ["content-type", JSON_TYPE, "content-length", String(length)],
    );
    response.end(body);
    if (!this.accessLog) return;
    this.logger.access({
      method: "POST",
      path: request.url as string,
      status,
      ms: Math.round((performance.now() - started) * 100) / 100,
      operation: operation.entry.operationId,
      clientId,
      ip: status >= 400 ? normaliseIp(this.clientAddress(request)) : undefined,
    });
  }
}
