// A Postman collection (format v2.1) derived from a language bundle of the spec, that runs green as shipped
// (test/postman/ runs it in Newman against the sandbox):
// - one folder per tag, one request per operation with the spec's first request example as its body; the revocation
//   runs last, in a folder of its own, so that it never pulls the token from under the other requests;
// - a collection-level pre-request script obtains the client-credentials token, caches it in collection variables,
//   refreshes it before it expires, and re-fetches it (and repeats the request once) after a 401;
// - every request has `pm.test` checks: HTTP status 200, envelope code 0, and the body against the operation's 200
//   schema from the spec;
// - variables are named as in the docs' samples (OPENAPI_BASE_URL, ...), described in the collection's description,
//   with an environment file for the local sandbox beside it (postmanEnvironment).
import { DEFAULT_BASE_URL } from "./code-samples.ts";
import type { JsonValue } from "./jsonpath.ts";
import { type JsonObject, listOperations, type OperationFacts, resolveRef } from "./operations.ts";

export const POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

/** The file name of the sandbox environment beside the collections in the docs' downloads. */
export const POSTMAN_ENVIRONMENT_FILE = "postman.sandbox.environment.json";

const TOKEN_PATH = "/open-api/system/oauth2/token";
const REVOKE_PATH = "/open-api/system/oauth2/token/revoke";

interface Variable {
  key: string;
  /** The collection's default. */
  value: string;
  /** The local sandbox's value (the environment file), for the variables a partner sets. */
  sandbox?: string;
  secret?: boolean;
  /** Set by the collection's scripts, never by hand. */
  managed?: boolean;
  text: { en: string; "zh-CN": string };
}

/** Every variable of the collection; the docs' samples read the same OPENAPI_* names from the environment. */
export const POSTMAN_VARIABLES: Variable[] = [
  {
    key: "OPENAPI_BASE_URL",
    value: DEFAULT_BASE_URL,
    sandbox: "http://127.0.0.1:4010",
    text: {
      en: "the gateway, without a trailing slash (the local sandbox of the API kit: http://127.0.0.1:4010)",
      "zh-CN": "网关地址,末尾不带斜杠(API 工具包的本地沙箱:http://127.0.0.1:4010)",
    },
  },
  {
    key: "OPENAPI_CLIENT_ID",
    value: "",
    sandbox: "sandbox-demo",
    text: { en: "the application's clientId", "zh-CN": "应用的 clientId" },
  },
  {
    key: "OPENAPI_CLIENT_SECRET",
    value: "",
    sandbox: "sandbox-demo-secret",
    secret: true,
    text: {
      en: "the application's clientSecret (keep it in an environment of type secret, never in a shared collection)",
      "zh-CN": "应用的 clientSecret(请放在 secret 类型的环境变量中,不要写入共享的集合)",
    },
  },
  {
    key: "OPENAPI_TENANT_ID",
    value: "",
    sandbox: "1",
    text: { en: "the tenant-id issued with the credentials", "zh-CN": "随凭证下发的 tenant-id" },
  },
  {
    key: "OPENAPI_SCOPE",
    value: "",
    sandbox: "",
    text: {
      en: "optional: the scopes to ask for, space-separated; empty asks for every scope granted to the application",
      "zh-CN": "可选:申请的 scope,以空格分隔;留空则申请应用已获授权的全部 scope",
    },
  },
  {
    key: "accessToken",
    value: "",
    managed: true,
    text: {
      en: "set by the collection's pre-request script: the cached access token",
      "zh-CN": "由集合的前置脚本设置:缓存的访问令牌",
    },
  },
  {
    key: "accessTokenRefreshAt",
    value: "",
    managed: true,
    text: {
      en: "set by the script: when to fetch a new token (ms since 1970, ahead of expires_in)",
      "zh-CN": "由脚本设置:何时获取新令牌(1970 年起的毫秒数,早于 expires_in 到期)",
    },
  },
  {
    key: "accessTokenFor",
    value: "",
    managed: true,
    text: {
      en: "set by the script: the base URL, clientId, tenant-id and scope the cached token belongs to",
      "zh-CN": "由脚本设置:缓存令牌所属的网关、clientId、tenant-id 和 scope",
    },
  },
  {
    key: "accessTokenRepeating",
    value: "",
    managed: true,
    text: {
      en: "set by the script for the request it is about to repeat, whose own checks are then skipped",
      "zh-CN": "由脚本设置:标记即将重发的请求,该次请求不做校验",
    },
  },
  {
    key: "accessTokenRetried",
    value: "",
    managed: true,
    text: {
      en: "set by the script: the request it repeated after a 401, so that it repeats each request at most once",
      "zh-CN": "由脚本设置:收到 401 后重发过的请求,保证每个请求最多重发一次",
    },
  },
];

const DESCRIPTION = {
  en: (title: string) => `${title}

Runs as shipped: in Postman choose the environment (or import \`${POSTMAN_ENVIRONMENT_FILE}\` for the local sandbox),
then send any request or run the whole collection (\`newman run <collection> -e <environment>\`).

- The collection's pre-request script obtains an access token with your client credentials, caches it, refreshes it
  before it expires and, after a 401, fetches a new one and repeats the request once. You never paste a token.
- Every request checks its answer: HTTP 200, \`code\` 0, and the body against the operation's schema in the spec.
- Each redemption sends a fresh \`requestId\` (\`{{$guid}}\`), so a second run redeems again instead of answering 900.
- "Revoke an access token" runs last, in its own folder: it revokes the cached token.

Variables (set the first five in an environment; environment values override the collection's):

${POSTMAN_VARIABLES.map((v) => `- \`${v.key}\`: ${v.text.en}`).join("\n")}`,
  "zh-CN": (title: string) => `${title}

开箱即用:在 Postman 中选择环境(本地沙箱可导入 \`${POSTMAN_ENVIRONMENT_FILE}\`),然后发送任意请求或运行整个集合
(\`newman run <集合> -e <环境>\`)。

- 集合的前置脚本用你的客户端凭证获取访问令牌并缓存,在到期前刷新;收到 401 时重新获取令牌并重发该请求一次。无需手动粘贴令牌。
- 每个请求都会校验响应:HTTP 200、\`code\` 为 0,以及响应体符合规范中该接口的 schema。
- 每次兑换都发送新的 \`requestId\`(\`{{$guid}}\`),再次运行会重新兑换,而不是返回 900。
- "撤销访问令牌"在单独的文件夹中最后运行:它撤销缓存的令牌。

变量(前五个请在环境中设置;环境中的值优先于集合中的值):

${POSTMAN_VARIABLES.map((v) => `- \`${v.key}\`:${v.text["zh-CN"]}`).join("\n")}`,
};

/** Postman sandbox script (runs in Postman and Newman only) before every request of the collection. */
const COLLECTION_PRE_REQUEST = `// Obtains, caches and refreshes the access token (generated by docs/postman.ts from the spec).
var TOKEN_PATH = ${JSON.stringify(TOKEN_PATH)};
var REVOKE_PATH = ${JSON.stringify(REVOKE_PATH)};
function setting(name) {
  var value = pm.variables.get(name);
  return value === undefined || value === null ? "" : String(value).trim();
}
var path = pm.request.url.getPath();
if (path !== TOKEN_PATH) {
  var baseUrl = setting("OPENAPI_BASE_URL").replace(/\\/+$/, "");
  var scope = setting("OPENAPI_SCOPE");
  var owner = [baseUrl, setting("OPENAPI_CLIENT_ID"), setting("OPENAPI_TENANT_ID"), scope].join(" ");
  var useToken = function (token) {
    if (path === REVOKE_PATH) pm.request.body.urlencoded.upsert({ key: "token", value: token });
    else pm.request.headers.upsert({ key: "Authorization", value: "Bearer " + token });
  };
  var cached = pm.collectionVariables.get("accessToken");
  var refreshAt = Number(pm.collectionVariables.get("accessTokenRefreshAt") || 0);
  if (cached && pm.collectionVariables.get("accessTokenFor") === owner && Date.now() < refreshAt) {
    useToken(cached);
  } else {
    var form = [{ key: "grant_type", value: "client_credentials" }];
    if (scope) form.push({ key: "scope", value: scope });
    pm.sendRequest(
      {
        url: baseUrl + TOKEN_PATH,
        method: "POST",
        header: [
          { key: "Authorization", value: "Basic " + btoa(setting("OPENAPI_CLIENT_ID") + ":" + setting("OPENAPI_CLIENT_SECRET")) },
          { key: "tenant-id", value: setting("OPENAPI_TENANT_ID") },
        ],
        body: { mode: "urlencoded", urlencoded: form },
      },
      function (error, response) {
        var body = null;
        try {
          body = response ? response.json() : null;
        } catch (e) {}
        if (error || !body || body.code !== 0 || !body.data || !body.data.access_token) {
          pm.collectionVariables.unset("accessToken");
          console.error(
            "The token request failed (" +
              (error ? error.message : body ? "code " + body.code + ": " + body.msg : "HTTP " + response.code) +
              "): check OPENAPI_BASE_URL, OPENAPI_CLIENT_ID, OPENAPI_CLIENT_SECRET and OPENAPI_TENANT_ID.",
          );
          return;
        }
        var lifetimeMs = Number(body.data.expires_in) * 1000;
        // Refresh a minute ahead of expiry (at half-life for tokens shorter than two minutes).
        pm.collectionVariables.set("accessToken", body.data.access_token);
        pm.collectionVariables.set("accessTokenFor", owner);
        pm.collectionVariables.set("accessTokenRefreshAt", String(Date.now() + lifetimeMs - Math.min(60000, lifetimeMs / 2)));
        useToken(body.data.access_token);
      },
    );
  }
}
`;

/** Runs after every request, before the request's own checks: a 401 drops the token and repeats the request once. */
const COLLECTION_TEST = `// Re-fetches the token after a 401 (generated by docs/postman.ts).
var path = pm.request.url.getPath();
if (path !== ${JSON.stringify(TOKEN_PATH)} && path !== ${JSON.stringify(REVOKE_PATH)}) {
  var body = null;
  try {
    body = pm.response.json();
  } catch (e) {}
  if (pm.response.code === 401 || (body !== null && body.code === 401)) {
    pm.collectionVariables.unset("accessToken");
    var attempt = pm.info.iteration + ":" + pm.info.requestName;
    if (pm.collectionVariables.get("accessTokenRetried") !== attempt) {
      // In a collection run, repeat this request once with a new token; this attempt's checks are skipped.
      pm.collectionVariables.set("accessTokenRetried", attempt);
      pm.collectionVariables.set("accessTokenRepeating", "yes");
      if (pm.execution && pm.execution.setNextRequest) pm.execution.setNextRequest(pm.info.requestName);
      else postman.setNextRequest(pm.info.requestName);
    }
  }
}
`;

/** The schema of the operation's 200 answer, self-contained for Postman's jsonSchema check (Ajv 6, draft-07). */
export function responseSchema(spec: JsonObject, op: OperationFacts): JsonObject {
  const where = `${op.operationId} 200`;
  const response = resolveRef(spec, (op.node.responses as JsonObject)["200"], where);
  const media = ((response.content as JsonObject)["application/json"] ?? {}) as JsonObject;
  const definitions: JsonObject = {};
  const components = ((spec.components as JsonObject).schemas ?? {}) as JsonObject;
  // The spec's `#/components/schemas/X` references become `#/definitions/X`, each copied once.
  const rewrite = (node: JsonValue): JsonValue => {
    if (Array.isArray(node)) return node.map(rewrite);
    if (node === null || typeof node !== "object") return node;
    const copy: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") {
        const name = value.replace(/^#\/components\/schemas\//, "");
        if (name === value) throw new Error(`${where}: only #/components/schemas references are handled (${value})`);
        if (!(name in definitions)) {
          definitions[name] = {};
          definitions[name] = rewrite(components[name] as JsonValue);
        }
        copy.$ref = `#/definitions/${name}`;
      } else if (key !== "examples" && key !== "example" && !key.startsWith("x-")) {
        copy[key] = rewrite(value);
      }
    }
    return copy;
  };
  const root = rewrite(media.schema as JsonValue) as JsonObject;
  return { $schema: "http://json-schema.org/draft-07/schema#", ...root, definitions };
}

/** The checks of one request: status, code 0, and the body against the operation's schema. */
function checks(spec: JsonObject, op: OperationFacts, extra: string[] = []): string[] {
  return [
    `// Checks generated by docs/postman.ts from the spec (${op.operationId}, answer 200).`,
    `var schema = ${JSON.stringify(responseSchema(spec, op))};`,
    // The collection's test script (it runs first) marks an attempt it repeats after a 401: no checks for that one.
    `if (pm.collectionVariables.get("accessTokenRepeating") === "yes") {`,
    `  pm.collectionVariables.unset("accessTokenRepeating");`,
    "} else {",
    `  pm.test("HTTP status is 200", function () { pm.response.to.have.status(200); });`,
    `  pm.test("code is 0", function () { var body = pm.response.json(); pm.expect(body.code, "msg: " + body.msg).to.equal(0); });`,
    `  pm.test("the body matches the spec (${op.operationId}, 200)", function () { pm.response.to.have.jsonSchema(schema); });`,
    ...extra.map((line) => `  ${line}`),
    "}",
  ];
}

function requestBody(op: OperationFacts): JsonObject {
  if (op.contentType === "application/json") {
    // A fresh requestId per redemption: the platform processes a requestId once, so a fixed one answers 900.
    const example =
      "requestId" in op.requestExample ? { ...op.requestExample, requestId: "{{$guid}}" } : op.requestExample;
    return { mode: "raw", raw: JSON.stringify(example, null, 2), options: { raw: { language: "json" } } };
  }
  // The token form asks for no particular scope (OPENAPI_SCOPE adds one); the revoked token is set by the script.
  const fields = Object.keys(op.requestExample)
    .filter((key) => key !== "scope")
    .map((key) => ({ key, value: key === "token" ? "" : String(op.requestExample[key]) }));
  return { mode: "urlencoded", urlencoded: fields };
}

function item(spec: JsonObject, op: OperationFacts): JsonObject {
  const header: JsonValue[] = [{ key: "tenant-id", value: "{{OPENAPI_TENANT_ID}}" }];
  if (op.contentType === "application/json") header.push({ key: "Content-Type", value: "application/json" });
  const auth: JsonObject =
    op.auth === "basic"
      ? {
          type: "basic",
          basic: [
            { key: "username", value: "{{OPENAPI_CLIENT_ID}}", type: "string" },
            { key: "password", value: "{{OPENAPI_CLIENT_SECRET}}", type: "string" },
          ],
        }
      : // The collection's pre-request script sets Authorization: Bearer <cached token>.
        { type: "noauth" };
  const events: JsonValue[] = [];
  if (op.path === TOKEN_PATH) {
    const addScope = [
      "// Asks for OPENAPI_SCOPE when it is set; without it the platform grants every scope of the application.",
      'var scope = String(pm.variables.get("OPENAPI_SCOPE") || "").trim();',
      'if (scope) pm.request.body.urlencoded.upsert({ key: "scope", value: scope });',
    ];
    events.push({ listen: "prerequest", script: { type: "text/javascript", exec: addScope } });
  }
  const extra =
    op.path === REVOKE_PATH
      ? ['pm.collectionVariables.unset("accessToken"); // revoked: the next request fetches a new one']
      : [];
  events.push({ listen: "test", script: { type: "text/javascript", exec: checks(spec, op, extra) } });
  const segments = op.path.split("/").filter(Boolean);
  return {
    name: op.summary,
    event: events,
    request: {
      method: op.method.toUpperCase(),
      header,
      auth,
      body: requestBody(op),
      url: { raw: `{{OPENAPI_BASE_URL}}${op.path}`, host: ["{{OPENAPI_BASE_URL}}"], path: segments },
      description: op.description,
    },
  };
}

interface Tag {
  name: string;
  description?: string;
  "x-displayName"?: string;
}

export function postmanCollection(spec: JsonObject, languageTag: string): JsonObject {
  const info = spec.info as JsonObject;
  const tags = (spec.tags ?? []) as unknown as Tag[];
  const operations = listOperations(spec);
  const revoke = operations.filter((op) => op.path === REVOKE_PATH);
  const folders: JsonValue[] = tags.map((tag) => ({
    name: tag["x-displayName"] ?? tag.name,
    description: tag.description ?? "",
    item: operations.filter((op) => op.tag === tag.name && op.path !== REVOKE_PATH).map((op) => item(spec, op)),
  }));
  // Last, on its own: revoking the cached token in the middle of a run would fail every request after it.
  for (const op of revoke) folders.push({ name: op.summary, description: op.description, item: [item(spec, op)] });
  const title = `${String(info.title)} ${String(info.version)}`;
  const description = languageTag === "zh-CN" ? DESCRIPTION["zh-CN"](title) : DESCRIPTION.en(title);
  return {
    info: { name: `${title} (${languageTag})`, description, schema: POSTMAN_SCHEMA },
    auth: { type: "noauth" },
    event: [
      { listen: "prerequest", script: { type: "text/javascript", exec: COLLECTION_PRE_REQUEST.trimEnd().split("\n") } },
      { listen: "test", script: { type: "text/javascript", exec: COLLECTION_TEST.trimEnd().split("\n") } },
    ],
    item: folders,
    variable: POSTMAN_VARIABLES.map((v) => ({ key: v.key, value: v.value, type: v.secret ? "secret" : "string" })),
  };
}

/** A Postman environment for the API kit's local sandbox (`npm start`), with its demo credentials. */
export function postmanEnvironment(): JsonObject {
  return {
    name: "Rizzit Open API: local sandbox (npm start)",
    values: POSTMAN_VARIABLES.filter((v) => !v.managed).map((v) => ({
      key: v.key,
      value: v.sandbox ?? v.value,
      type: v.secret ? "secret" : "default",
      enabled: true,
    })),
    _postman_variable_scope: "environment",
  };
}
