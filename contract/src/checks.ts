// The response checks every exchange goes through, named as schemathesis names them, plus this API's envelope rule.
// Each returns pass/fail with the spec rule it enforces; the caller adds the layer, operation and curl.
import type { ApiResponse } from "./http.ts";
import { formatAjvErrors, isObject, type LoadedSpec, type Operation } from "./spec.ts";

export const checkNames = [
  "not_a_server_error",
  "status_code_conformance",
  "content_type_conformance",
  "response_headers_conformance",
  "response_schema_conformance",
  "envelope_code_matches_status",
  "positive_data_acceptance",
  "negative_data_rejection",
  "missing_required_header",
  "unsupported_method",
  "ignored_auth",
  "use_after_free",
  "tenant_mismatch",
  "insufficient_scope",
] as const;
export type CheckName = (typeof checkNames)[number];
/** Checks that belong to one layer rather than to a response: the Dredd transaction, the Arazzo workflows. */
export const layerCheckNames = ["dredd_transaction", "arazzo_workflow", "pagination_walk"] as const;

export interface CheckResult {
  check: string;
  ok: boolean;
  message?: string;
  rule?: string;
}

/** The HTTP statuses the contract reserves for protocol errors (openapi/README.md, "Error model"). */
export const protocolStatuses = [400, 401, 403, 429, 500];
const envelopeRule =
  "error model (info.description): a protocol error answers its HTTP status and the same number in `code`; " +
  "HTTP 200 carries code 0 or a business code from the operation's x-business-errors";

const fail = (check: string, message: string, rule: string): CheckResult => ({ check, ok: false, message, rule });
const pass = (check: string): CheckResult => ({ check, ok: true });

/** Runs every response check that applies to `res`; `only` restricts them (mutant runs). */
export function responseChecks(spec: LoadedSpec, op: Operation, res: ApiResponse, only?: Set<string>): CheckResult[] {
  const want = (name: CheckName) => !only || only.has(name);
  const out: CheckResult[] = [];
  const documented = op.responses.get(String(res.status)) ?? op.responses.get("default");
  const responsesRule = `${op.pointer}/responses`;

  if (want("not_a_server_error")) {
    out.push(
      res.status < 500
        ? pass("not_a_server_error")
        : fail(
            "not_a_server_error",
            `HTTP ${res.status}: the server failed (${snippet(res.text)})`,
            "house rule: bad input gets a 4xx in the {code,data,msg} envelope, never a 5xx",
          ),
    );
  }
  if (want("status_code_conformance")) {
    out.push(
      documented
        ? pass("status_code_conformance")
        : fail(
            "status_code_conformance",
            `HTTP ${res.status} is not documented; documented: ${[...op.responses.keys()].join(", ")}`,
            responsesRule,
          ),
    );
  }
  if (!documented) return out;
  const rule = `${responsesRule}/${documented.status}`;

  if (want("content_type_conformance") && documented.contentTypes.length > 0) {
    out.push(
      res.mediaType && documented.contentTypes.includes(res.mediaType)
        ? pass("content_type_conformance")
        : fail(
            "content_type_conformance",
            `Content-Type is ${res.mediaType ?? "missing"}; documented: ${documented.contentTypes.join(", ")}`,
            `${rule}/content`,
          ),
    );
  }
  if (want("response_headers_conformance") && documented.headers.length > 0) {
    const problems: string[] = [];
    for (const header of documented.headers) {
      const value = res.headers.get(header.name);
      if (value === null) {
        if (header.required) problems.push(`required header ${header.name} is missing`);
        continue;
      }
      const validate = spec.validator(header.schemaPointer);
      const parsed = /^-?\d+$/.test(value) ? Number(value) : value;
      if (!validate(parsed) && !validate(value)) {
        problems.push(`header ${header.name}: ${JSON.stringify(value)} ${formatAjvErrors(validate.errors)}`);
      }
    }
    out.push(
      problems.length === 0
        ? pass("response_headers_conformance")
        : fail("response_headers_conformance", problems.join("; "), `${rule}/headers`),
    );
  }
  if (want("response_schema_conformance") && documented.schemaPointer) {
    if (res.json === undefined) {
      out.push(fail("response_schema_conformance", `body is not JSON: ${snippet(res.text)}`, `${rule}/content`));
    } else {
      const validate = spec.validator(documented.schemaPointer);
      out.push(
        validate(res.json)
          ? pass("response_schema_conformance")
          : fail(
              "response_schema_conformance",
              `body does not match the schema: ${formatAjvErrors(validate.errors)}; body ${snippet(res.text)}`,
              documented.schemaPointer,
            ),
      );
    }
  }
  if (want("envelope_code_matches_status") && isObject(res.json) && "code" in res.json) {
    const code = res.json.code;
    if (res.status >= 400) {
      out.push(
        code === res.status
          ? pass("envelope_code_matches_status")
          : fail(
              "envelope_code_matches_status",
              `HTTP ${res.status} but envelope code ${JSON.stringify(code)}`,
              envelopeRule,
            ),
      );
    } else if (res.status === 200) {
      const allowed = code === 0 || (typeof code === "number" && op.businessErrorCodes.includes(code));
      out.push(
        allowed
          ? pass("envelope_code_matches_status")
          : fail(
              "envelope_code_matches_status",
              `HTTP 200 with envelope code ${JSON.stringify(code)}, which is neither 0 nor one of x-business-errors [${op.businessErrorCodes.join(", ")}]`,
              envelopeRule,
            ),
      );
    }
  }
  return out;
}

export function snippet(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat || "(empty)";
}
