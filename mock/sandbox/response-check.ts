// Checks one response against the spec: the status must be documented for the operation, the body must match
// that status's schema and the required headers (Retry-After on 429) must be there. Answers the problem, or
// undefined when the response conforms. Responses outside any operation (404, 405, docs) must be a plain error
// envelope whose code is the HTTP status.
import type { Logger } from "./log.ts";
import type { OperationEntry } from "./spec.ts";
import type { SpecValidators } from "./validation.ts";

export type ResponseChecker = (
  entry: OperationEntry | undefined,
  status: number,
  payload: unknown,
  header: (name: string) => unknown,
) => string | undefined;

export function responseChecker(operations: OperationEntry[], validators: SpecValidators): ResponseChecker {
  // Compile everything up front: a broken response schema fails at start-up, not at the first request.
  for (const entry of operations) for (const pointer of entry.responses.values()) validators.compile(pointer);
  return (entry, status, sent, header) => {
    // Shared answers are sent as bytes encoded once (json-once.ts envelopeBody).
    const payload = Buffer.isBuffer(sent) ? sent.toString("utf8") : sent;
    if (typeof payload !== "string") return "the body is not a serialised JSON string";
    let body: unknown;
    try {
      body = JSON.parse(payload);
    } catch {
      return "the body is not valid JSON";
    }
    if (!entry) {
      const envelope = body as { code?: unknown; data?: unknown; msg?: unknown };
      const keys = Object.keys(envelope ?? {})
        .sort()
        .join(",");
      if (keys !== "code,data,msg" || envelope.code !== status || envelope.data !== null) {
        return `outside any operation, expected {code: ${status}, data: null, msg} and got ${payload.slice(0, 200)}`;
      }
      return typeof envelope.msg === "string" && envelope.msg.length > 0 ? undefined : "msg must not be empty";
    }
    const pointer = entry.responses.get(status);
    if (!pointer) return `${entry.operationId} does not document HTTP ${status}`;
    const validate = validators.compile(pointer);
    if (!validate(body)) {
      const error = validate.errors?.[0];
      return `${entry.operationId} HTTP ${status}: ${error?.instancePath || "/"} ${error?.message ?? "is invalid"} (${payload.slice(0, 200)})`;
    }
    for (const name of entry.requiredHeaders.get(status) ?? []) {
      if (header(name) === undefined) return `${entry.operationId} HTTP ${status}: required header ${name} is missing`;
    }
    return undefined;
  };
}

/**
 * A checker that also says what to send instead: undefined when the response conforms, else the body of a loud
 * 500 (after an error line). Both paths that answer operations use it (server.ts's onSend hook, direct-path.ts).
 */
export function contractGuard(check: ResponseChecker, logger: Logger) {
  return (
    entry: OperationEntry | undefined,
    request: { method: string; url: string },
    status: number,
    payload: unknown,
    header: (name: string) => unknown,
  ): string | undefined => {
    const problem = check(entry, status, payload, header);
    if (!problem) return undefined;
    logger.error("RESPONSE_CONTRACT_VIOLATION", {
      method: request.method,
      path: request.url.split("?")[0],
      status,
      problem,
    });
    return JSON.stringify({ code: 500, data: null, msg: `RESPONSE_CONTRACT_VIOLATION: ${problem}` });
  };
}

export type ContractGuard = ReturnType<typeof contractGuard>;
