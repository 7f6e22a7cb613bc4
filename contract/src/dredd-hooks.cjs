// Dredd hooks for the Rizzit Open Platform spec (Dredd 14 loads JS hooks with require, hence CommonJS).
//
// Dredd alone is not enough for this API (../../../shared/TOOLCHAIN.md): it sends form bodies empty, turns every
// documented status into a transaction that sends the same request, and for OpenAPI 3 checks response bodies for
// key presence only. These hooks obtain a token, fill the form bodies from the spec's examples, shape each error
// transaction into a request that really provokes that status (or skip it when nothing can), and validate every
// response body with Ajv 2020 against the 3.1 schema. A failure is reported as "[check] message (rule: ...)".
//
// Run by dredd.ts, which passes its settings in `custom.contract`. Standalone, from the kit's root:
//   OPENAPI_CLIENT_ID=... OPENAPI_CLIENT_SECRET=... OPENAPI_TENANT_ID=... \
//   npx dredd generated/openapi.json http://127.0.0.1:4010 --hookfiles contract/src/dredd-hooks.cjs
const { existsSync, readFileSync } = require("node:fs");
const { join } = require("node:path");
const hooks = require("hooks");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const tokenPath = "/open-api/system/oauth2/token";
const revokePath = "/open-api/system/oauth2/token/revoke";
let settings;
let spec;
let ajv;
let bearer;

function loadSettings() {
  const custom = hooks.configuration?.custom?.contract;
  if (custom) return custom;
  const env = process.env;
  return {
    endpoint: hooks.configuration.endpoint,
    profile: env.CONTRACT_PROFILE === "mock" ? "mock" : "full",
    // Beside the hooks in the installed package (dist/spec/), generated/ in the kit's sources (see assets.ts).
    specPath: [join(__dirname, "spec", "openapi.json"), join(__dirname, "..", "..", "generated", "openapi.json")].find(
      (p) => existsSync(p),
    ),
    tenantId: env.OPENAPI_TENANT_ID,
    otherTenantId: String(BigInt(env.OPENAPI_TENANT_ID || "1") + 1n),
    basic: `Basic ${Buffer.from(`${env.OPENAPI_CLIENT_ID}:${env.OPENAPI_CLIENT_SECRET}`).toString("base64")}`,
  };
}

// Follows $refs: a response may be a $ref to components/responses, whose schema is another $ref.
function deref(node) {
  let current = node;
  for (let hops = 0; current && typeof current.$ref === "string" && hops < 20; hops++) {
    current = current.$ref
      .slice(2)
      .split("/")
      .reduce((n, key) => n?.[key.replaceAll("~1", "/").replaceAll("~0", "~")], spec);
  }
  return current;
}

function operationOf(transaction) {
  const path = transaction.origin.resourceName;
  const method = transaction.request.method.toLowerCase();
  return { path, method, op: deref(spec.paths[path])?.[method] };
}

function requestExample(op) {
  const media = Object.values(op.requestBody?.content ?? {})[0];
  const first = Object.values(media?.examples ?? {})[0];
  return deref(first)?.value ?? media?.example;
}

function isTokenEndpoint(path) {
  return path === tokenPath || path === revokePath;
}

hooks.beforeAll(async (transactions, done) => {
  try {
    settings = loadSettings();
    spec = JSON.parse(readFileSync(settings.specPath, "utf8"));
    ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(ajv);
    ajv.addSchema(spec, "spec");
    const res = await fetch(settings.endpoint + tokenPath, {
      method: "POST",
      headers: {
        authorization: settings.basic,
        "tenant-id": settings.tenantId,
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "grant_type=client_credentials",
    });
    const body = await res.json();
    if (res.status !== 200 || typeof body?.data?.access_token !== "string") {
      throw new Error(`token request answered HTTP ${res.status}: check the credentials and tenant-id`);
    }
    bearer = `Bearer ${body.data.access_token}`;
  } catch (error) {
    for (const t of transactions) t.fail = `[dredd_setup] could not prepare the run: ${error.message}`;
  }
  done();
});

hooks.beforeEach((transaction) => {
  if (transaction.fail) return;
  const { path, op } = operationOf(transaction);
  if (settings.skipPaths?.includes(path)) {
    transaction.skip = true; // excluded by the runner (--exclude-operations)
    return;
  }
  const status = Number(transaction.expected.statusCode);
  const headers = transaction.request.headers;
  headers["tenant-id"] = settings.tenantId;
  headers.Authorization = isTokenEndpoint(path) ? settings.basic : bearer;

  // Dredd sends form bodies empty: use the spec's first request example.
  const example = requestExample(op);
  if (headers["Content-Type"]?.startsWith("application/x-www-form-urlencoded")) {
    const fields = { ...(example ?? {}) };
    // Revoking a token nobody uses is the safe example (RFC 7009: success even when unknown).
    if (path === revokePath) fields.token = "contract-dredd-unused-token";
    transaction.request.body = new URLSearchParams(fields).toString();
  } else if (!transaction.request.body && example !== undefined) {
    transaction.request.body = JSON.stringify(example);
  }

  // Each documented status gets the request that provokes it, or a skip that says why not.
  if (status === 400) {
    delete headers["tenant-id"];
  } else if (status === 401) {
    delete headers.Authorization;
  } else if (status === 403) {
    if (settings.profile === "mock") {
      transaction.skip = true; // a stateless mock does not know which tenant a token belongs to
    } else {
      headers["tenant-id"] = settings.otherTenantId;
    }
  } else if (status === 429 || status >= 500) {
    transaction.skip = true; // rate limits and platform failures cannot be provoked on demand
  }

  // Dredd would compare the body's keys with one example; Ajv below checks it against the whole schema instead.
  delete transaction.expected.body;
  delete transaction.expected.bodySchema;
  // Gavel compares Content-Type verbatim, so "application/json; charset=utf-8" would fail; the media type is
  // compared in afterEach instead.
  for (const name of Object.keys(transaction.expected.headers ?? {})) {
    if (name.toLowerCase() === "content-type") delete transaction.expected.headers[name];
  }
});

// A rate-limited test application answers 429: wait Retry-After and resend (3 times at most) before Dredd
// validates, so that the QPS limit does not fail transactions that expect something else.
hooks.beforeEachValidation(async (transaction, done) => {
  try {
    for (
      let attempt = 1;
      attempt <= 3 && transaction.real?.statusCode === 429 && transaction.expected.statusCode !== "429";
      attempt++
    ) {
      const retryAfter = Number(transaction.real.headers?.["retry-after"]) || 1;
      await new Promise((resolve) => setTimeout(resolve, Math.min(5, Math.max(1, retryAfter)) * 1000 * attempt));
      const res = await fetch(settings.endpoint + transaction.fullPath, {
        method: transaction.request.method,
        headers: transaction.request.headers,
        body: transaction.request.body || undefined,
      });
      const headers = {};
      res.headers.forEach((value, key) => {
        headers[key] = value;
      });
      transaction.real = { statusCode: res.status, headers, body: await res.text() };
    }
  } catch (error) {
    transaction.fail = `[dredd_transaction] resending after 429 failed: ${error.message}`;
  }
  done();
});

hooks.afterEach((transaction) => {
  if (transaction.skip || !transaction.real) return;
  const { path, method, op } = operationOf(transaction);
  const actual = transaction.real.statusCode;
  const responseRef = op?.responses?.[String(actual)];
  const response = deref(responseRef);
  const problems = [];
  const rule = `#/paths/${path.replaceAll("/", "~1")}/${method}/responses/${actual}`;
  if (!response) {
    problems.push(`[status_code_conformance] HTTP ${actual} is not documented (rule: ${rule})`);
  } else {
    // Validate through the spec's own pointer so that the schema's $refs resolve inside the spec.
    const base = typeof responseRef.$ref === "string" ? responseRef.$ref : rule;
    const schemaPointer = `${base}/content/application~1json/schema`;
    const schema = response.content?.["application/json"]?.schema;
    const documentedTypes = Object.keys(response.content ?? {});
    const contentType = Object.entries(transaction.real.headers ?? {}).find(
      ([k]) => k.toLowerCase() === "content-type",
    )?.[1];
    const mediaType = String(contentType ?? "")
      .split(";")[0]
      .trim()
      .toLowerCase();
    if (documentedTypes.length > 0 && !documentedTypes.includes(mediaType)) {
      problems.push(
        `[content_type_conformance] Content-Type is ${contentType ?? "missing"}, documented: ${documentedTypes.join(", ")} (rule: ${rule}/content)`,
      );
    }
    let body;
    try {
      body = JSON.parse(transaction.real.body);
    } catch {
      problems.push(`[response_schema_conformance] body is not JSON (rule: ${rule}/content)`);
    }
    if (schema && body !== undefined) {
      const validate = ajv.getSchema(`spec${schemaPointer}`) ?? ajv.compile({ $ref: `spec${schemaPointer}` });
      if (!validate(body)) {
        const errors = validate.errors
          .slice(0, 4)
          .map(
            (e) =>
              `${e.instancePath || "(root)"} ${e.message}${e.params?.additionalProperty ? ` '${e.params.additionalProperty}'` : ""}`,
          )
          .join("; ");
        problems.push(`[response_schema_conformance] ${errors} (rule: ${schemaPointer})`);
      }
      if (actual >= 400 && body && body.code !== actual) {
        problems.push(
          `[envelope_code_matches_status] HTTP ${actual} but envelope code ${JSON.stringify(body.code)} (rule: error model in info.description)`,
        );
      }
    }
  }
  if (problems.length > 0) transaction.fail = problems.join(" | ");
});
