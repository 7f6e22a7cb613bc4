// Layer 2: property-based checks. For every operation: the spec's request examples, then seeded fast-check cases
// that the request schema accepts (positive_data_acceptance) and rejects (negative_data_rejection), every answer
// going through the response checks; then the auth, header, method, tenant and scope probes.
import fc from "fast-check";
import { invalidArbitrary, prototypeKeys, sampleAccepted, validArbitrary } from "./arbitrary.ts";
import type { CheckResult } from "./checks.ts";
import type { ApiRequest, ApiResponse, Auth, TokenHandle } from "./http.ts";
import { exchange, pool, type RunContext, record, selectedOperations, skip, wants } from "./run-context.ts";
import { isObject, type JsonObject, type JsonValue, type Operation } from "./spec.ts";

const layer = "property" as const;
const otherMethods = ["GET", "PUT", "DELETE", "PATCH"];

interface Case {
  kind: "positive" | "negative";
  body: JsonValue;
}

function encodeBody(op: Operation, body: JsonValue): string {
  if (op.requestContentType !== "application/x-www-form-urlencoded") return JSON.stringify(body);
  const form = new URLSearchParams();
  if (isObject(body))
    for (const [key, value] of Object.entries(body))
      form.set(key, typeof value === "string" ? value : JSON.stringify(value));
  return form.toString();
}

/** Form fields arrive as strings: validate what the server will see. */
function asSent(op: Operation, body: JsonValue): JsonValue {
  if (op.requestContentType !== "application/x-www-form-urlencoded" || !isObject(body)) return body;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(body)) out[key] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

const expectStatus =
  (check: string, accept: (status: number) => boolean, wanted: string, rule: string) =>
  (res: ApiResponse): CheckResult =>
    accept(res.status)
      ? { check, ok: true }
      : { check, ok: false, message: `expected ${wanted}, got HTTP ${res.status}: ${res.text.slice(0, 160)}`, rule };

export async function runPropertyLayer(ctx: RunContext): Promise<void> {
  const { client, spec, options } = ctx;
  const creds = client.credentials;
  const full = options.profile === "full";
  const mainToken = await client.issueToken(creds.main);
  // A stateless mock answers its example token whatever was asked: treat it as holding every declared scope.
  const granted = full ? mainToken.scope.split(" ").filter(Boolean) : spec.declaredScopes;
  ctx.log(`property: token issued for $${creds.main.idVar} (scopes: ${granted.join(" ") || "none reported"})`);

  const tokensByScope = new Map<string, Promise<TokenHandle>>();
  const tokenFor = (scope: string) => {
    let t = tokensByScope.get(scope);
    if (!t) {
      t = client.issueToken(creds.main, scope);
      tokensByScope.set(scope, t);
    }
    return t;
  };

  for (const op of selectedOperations(ctx)) {
    const isTokenEndpoint = op.securityScheme !== "openApiOAuth2";
    const authFor = (): Auth =>
      isTokenEndpoint ? { kind: "basic", client: creds.main } : { kind: "bearer", token: mainToken };
    const build = (body: JsonValue, overrides: Partial<ApiRequest> = {}): ApiRequest => ({
      method: op.method.toUpperCase(),
      path: op.path,
      tenantId: creds.tenantId,
      auth: authFor(),
      contentType: op.requestContentType,
      body: encodeBody(op, body),
      ...overrides,
    });
    if (!isTokenEndpoint && op.scopes.some((s) => !granted.includes(s))) {
      const reason = `the application of $${creds.main.idVar} lacks scope ${op.scopes.join(" ")}: grant it to run this`;
      ctx.log(`property: ${op.operationId} skipped: ${reason}`);
      for (const check of ["positive_data_acceptance", "negative_data_rejection"])
        skip(ctx, layer, op.operationId, check, reason);
      continue;
    }

    // Generated cases, reproducible from the seed (the operation's index keeps operations apart).
    const validate = spec.validator(op.requestSchemaPointer);
    const generation = {
      deref: spec.deref,
      form: op.requestContentType === "application/x-www-form-urlencoded",
      // A token request may only name scopes the application holds (anything else is a documented 400).
      overrides:
        op.path.endsWith("/oauth2/token") && granted.length > 0
          ? {
              scope: fc.option(
                fc.subarray(granted, { minLength: 1 }).map((s) => s.join(" ")),
                { nil: undefined },
              ),
            }
          : undefined,
    };
    const schema = spec.deref({ $ref: op.requestSchemaPointer });
    const opSeed = options.seed + spec.operations.indexOf(op) * 7919;
    const half = Math.ceil(options.cases / 2);
    const cases: Case[] = [];
    // The spec's own examples first (they name data that exists, so success bodies get checked too).
    for (const example of op.requestExamples) cases.push({ kind: "positive", body: example });
    // Then the first example with a key named like an Object.prototype member, wherever the schema lets it in:
    // always sent, so that even a run of a few cases catches a server that refuses them.
    for (const key of prototypeKeys) {
      const first = op.requestExamples[0];
      const poisoned = first && { ...first, ...Object.fromEntries([[key, { polluted: true }]]) };
      if (poisoned && validate(asSent(op, poisoned)) === true) cases.push({ kind: "positive", body: poisoned });
    }
    const positives = sampleAccepted(
      validArbitrary(schema, generation),
      (v) => validate(asSent(op, v)) === true,
      half,
      opSeed,
    );
    const negatives = sampleAccepted(
      invalidArbitrary(schema, generation),
      (v) => validate(asSent(op, v)) === false,
      options.cases - half,
      opSeed + 1,
    );
    if (positives.length < half) {
      ctx.log(
        `property: ${op.operationId}: the generator found only ${positives.length} of ${half} valid bodies: ` +
          `check ${op.requestSchemaPointer} (a pattern with format, or constraints that exclude each other)`,
      );
    }
    ctx.stats.generatedCases += positives.length + negatives.length;
    for (const body of positives) cases.push({ kind: "positive", body });
    for (const body of negatives) cases.push({ kind: "negative", body });

    await pool(cases, options.concurrency, async (c) => {
      const expectation =
        c.kind === "positive"
          ? expectStatus(
              "positive_data_acceptance",
              (s) => s >= 200 && s < 300,
              "a 2xx for a request the schema accepts",
              op.requestSchemaPointer,
            )
          : expectStatus(
              "negative_data_rejection",
              (s) => s >= 400 && s < 500,
              "a 4xx for a request the schema rejects",
              op.requestSchemaPointer,
            );
      await exchange(ctx, layer, op, build(c.body), expectation);
    });

    const example: JsonValue = op.requestExamples[0] ?? positives[0] ?? {};
    const probes: {
      check: string;
      fullOnly: boolean;
      request: ApiRequest;
      expect: (res: ApiResponse) => CheckResult;
    }[] = [];
    for (const header of op.requiredHeaders) {
      if (header !== "tenant-id") continue;
      probes.push({
        check: "missing_required_header",
        fullOnly: false,
        request: build(example, { tenantId: null }),
        expect: expectStatus(
          "missing_required_header",
          (s) => s === 400,
          "HTTP 400 without the tenant-id header",
          "#/components/parameters/TenantId",
        ),
      });
    }
    if (op.requestContentType === "application/json") {
      // Not a schema violation but a syntax error: it must still be a 400 envelope, never a 5xx. Full profile
      // only: Prism answers malformed JSON with its own {"error": ...} body.
      probes.push({
        check: "negative_data_rejection",
        fullOnly: true,
        request: build(example, { body: '{"goodsId": "123456", ' }),
        expect: expectStatus(
          "negative_data_rejection",
          (s) => s >= 400 && s < 500,
          "a 4xx for a body that is not JSON",
          `${op.pointer}/requestBody`,
        ),
      });
    }
    const authRule = `${op.pointer}/security`;
    const expect401 = expectStatus("ignored_auth", (s) => s === 401, "HTTP 401", authRule);
    probes.push({
      check: "ignored_auth",
      fullOnly: false,
      request: build(example, { auth: { kind: "none" } }),
      expect: expect401,
    });
    probes.push(
      isTokenEndpoint
        ? {
            check: "ignored_auth",
            fullOnly: true,
            request: build(example, { auth: { kind: "basic", client: creds.main, wrongSecret: true } }),
            expect: expect401,
          }
        : {
            check: "ignored_auth",
            fullOnly: true,
            request: build(example, {
              auth: { kind: "literal", value: `Bearer contract-test-unknown-token-${options.seed}` },
            }),
            expect: expect401,
          },
    );
    probes.push({
      check: "tenant_mismatch",
      fullOnly: true,
      request: build(example, { tenantId: client.otherTenantId }),
      expect: expectStatus(
        "tenant_mismatch",
        (s) => s === 403,
        "HTTP 403 for another tenant's tenant-id",
        "#/components/parameters/TenantId",
      ),
    });
    if (!isTokenEndpoint && full && wants(ctx, "insufficient_scope")) {
      const otherScope = granted.find((s) => !op.scopes.includes(s));
      if (!otherScope) {
        skip(ctx, layer, op.operationId, "insufficient_scope", "the application holds no scope but this one's");
      } else {
        probes.push({
          check: "insufficient_scope",
          fullOnly: true,
          request: build(example, { auth: { kind: "bearer", token: await tokenFor(otherScope) } }),
          expect: expectStatus(
            "insufficient_scope",
            (s) => s === 403,
            `HTTP 403 for a token with only "${otherScope}"`,
            authRule,
          ),
        });
      }
    }
    if (isTokenEndpoint && op.path.endsWith("/oauth2/token") && full && !creds.limited) {
      skip(
        ctx,
        layer,
        op.operationId,
        "insufficient_scope",
        "set OPENAPI_LIMITED_CLIENT_ID and OPENAPI_LIMITED_CLIENT_SECRET (an application with fewer scopes) to " +
          "check that asking for a scope it lacks answers 400",
      );
    }
    if (
      isTokenEndpoint &&
      op.path.endsWith("/oauth2/token") &&
      full &&
      creds.limited &&
      wants(ctx, "insufficient_scope")
    ) {
      // The limited application asks for every declared scope: at least one is not granted, a documented 400.
      probes.push({
        check: "insufficient_scope",
        fullOnly: true,
        request: build(
          { grant_type: "client_credentials", scope: spec.declaredScopes.join(" ") },
          { auth: { kind: "basic", client: creds.limited } },
        ),
        expect: expectStatus(
          "insufficient_scope",
          (s) => s === 400,
          "HTTP 400 for a scope not granted to the application",
          `${op.pointer}/responses/400`,
        ),
      });
    }
    await pool(
      probes.filter((p) => wants(ctx, p.check) && (full || !p.fullOnly)),
      options.concurrency,
      async (p) => {
        await exchange(ctx, layer, op, p.request, p.expect);
      },
    );

    if (wants(ctx, "unsupported_method")) {
      await pool(otherMethods, options.concurrency, async (method) => {
        const bodiless = method === "GET";
        const request = build(example, bodiless ? { method, body: undefined, contentType: undefined } : { method });
        let res: ApiResponse;
        try {
          res = await client.send(request);
        } catch (error) {
          record(ctx, layer, op.operationId, request, [
            { check: "unsupported_method", ok: false, message: `no HTTP answer: ${(error as Error).message}` },
          ]);
          return;
        }
        const rule = `#/paths/${op.path.replaceAll("/", "~1")} (only ${op.method.toUpperCase()})`;
        let result = expectStatus("unsupported_method", (s) => s === 405, `HTTP 405 for ${method}`, rule)(res);
        // The spec (info.description) puts 404/405 in the envelope too; Prism answers problem+json, so full only.
        if (result.ok && full && !(isObject(res.json) && res.json.code === 405 && res.json.data === null)) {
          result = {
            check: "unsupported_method",
            ok: false,
            message: `HTTP 405 for ${method}, but not in the envelope {code: 405, data: null, msg}: ${res.text.slice(0, 160)}`,
            rule: "info.description: requests that reach no operation answer in the same envelope with 404 / 405",
          };
        }
        record(ctx, layer, op.operationId, request, [result]);
      });
    }
    const mine = ctx.results.outcomes.filter((o) => o.operation === op.operationId && o.layer === layer);
    ctx.log(
      `property: ${op.operationId}: ${cases.length} cases + ${probes.length} probes, ${mine.filter((o) => !o.ok).length} failed checks`,
    );
  }

  if (full && wants(ctx, "use_after_free")) await useAfterFree(ctx);
}

/** A token revoked through the revoke endpoint must stop working at once on every business operation. */
async function useAfterFree(ctx: RunContext): Promise<void> {
  const { client } = ctx;
  const creds = client.credentials;
  const token = await client.issueToken(creds.main);
  const revokeOp = ctx.spec.operations.find((op) => op.path.endsWith("/token/revoke"));
  const { handle, response } = await client.revokeToken(creds.main, token);
  if (revokeOp && response.status !== 200) {
    record(ctx, layer, revokeOp.operationId, undefined, [
      {
        check: "use_after_free",
        ok: false,
        message: `revocation answered HTTP ${response.status}`,
        rule: `${revokeOp.pointer}/responses/200`,
      },
    ]);
  }
  for (const op of selectedOperations(ctx).filter((o) => o.securityScheme === "openApiOAuth2")) {
    const body = op.requestExamples[0] ?? {};
    await exchange(
      ctx,
      layer,
      op,
      {
        method: op.method.toUpperCase(),
        path: op.path,
        tenantId: creds.tenantId,
        auth: { kind: "bearer", token: handle },
        contentType: op.requestContentType,
        body: encodeBody(op, body),
      },
      expectStatus("use_after_free", (s) => s === 401, "HTTP 401 for a revoked token", `${op.pointer}/responses/401`),
    );
  }
}
