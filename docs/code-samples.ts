// The code samples of every operation (Redoc's `x-codeSamples`), generated from the spec's first request example
// so a sample can never show a field the spec does not have. test/docs/code-samples.test.ts runs every one of them
// against the sandbox. Every sample reads the same environment variables as the kit's contract runner.
import type { JsonValue } from "./jsonpath.ts";
import type { JsonObject, OperationFacts } from "./operations.ts";
import { SDK_INSTALL_COMMAND } from "./sdk-download.ts";

export type SampleLang = "cURL" | "TypeScript" | "Python" | "Java";

export interface CodeSample {
  lang: SampleLang;
  label: string;
  source: string;
}

/** Where partners start: the sandbox gateway. The samples read OPENAPI_BASE_URL to point elsewhere. */
export const DEFAULT_BASE_URL = "https://api-qa.rizzitbuy.com";

/** The form field that carries a token in the revoke request: samples send a real token there, not the example's. */
const TOKEN_FIELD = "token";

const shellQuote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function formFields(example: JsonObject): [string, string][] {
  return Object.entries(example).map(([key, value]) => [key, String(value)]);
}

function curlSample(op: OperationFacts): string {
  const credentials = "OPENAPI_CLIENT_ID / OPENAPI_CLIENT_SECRET / OPENAPI_TENANT_ID: the credentials issued to you";
  const header =
    op.auth === "bearer"
      ? '# ACCESS_TOKEN: a token from "Obtain an access token"; OPENAPI_TENANT_ID: your tenant-id\n'
      : TOKEN_FIELD in op.requestExample
        ? `# ${credentials}; ACCESS_TOKEN: the token to revoke\n`
        : `# ${credentials}\n`;
  const lines = [
    `${header}curl -sS -X ${op.method.toUpperCase()} "\${OPENAPI_BASE_URL:-${DEFAULT_BASE_URL}}${op.path}"`,
  ];
  if (op.auth === "basic") lines.push(`-u "\${OPENAPI_CLIENT_ID}:\${OPENAPI_CLIENT_SECRET}"`);
  else lines.push(`-H "Authorization: Bearer \${ACCESS_TOKEN}"`);
  lines.push(`-H "tenant-id: \${OPENAPI_TENANT_ID}"`);
  if (op.contentType === "application/json") {
    lines.push(`-H 'Content-Type: application/json'`, `-d ${shellQuote(JSON.stringify(op.requestExample))}`);
  } else {
    for (const [key, value] of formFields(op.requestExample)) {
      lines.push(
        key === TOKEN_FIELD
          ? `--data-urlencode "token=\${ACCESS_TOKEN}"`
          : `--data-urlencode ${shellQuote(`${key}=${value}`)}`,
      );
    }
  }
  return lines.join(" \\\n  ");
}

function pythonLiteral(value: JsonValue, indent: string): string {
  if (value === null) return "None";
  if (value === true) return "True";
  if (value === false) return "False";
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return "{}";
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pythonLiteral(v, inner)},`).join("\n")}\n${indent}}`;
}

const PY_HEADER = `# pip install requests
import json
import os

import requests

BASE_URL = os.environ.get("OPENAPI_BASE_URL", "${DEFAULT_BASE_URL}")
CLIENT_ID = os.environ["OPENAPI_CLIENT_ID"]
CLIENT_SECRET = os.environ["OPENAPI_CLIENT_SECRET"]
TENANT_ID = os.environ["OPENAPI_TENANT_ID"]
`;

function pythonToken(scope: string | null): string {
  const data =
    scope === null
      ? `{"grant_type": "client_credentials"}`
      : `{"grant_type": "client_credentials", "scope": "${scope}"}`;
  return `token_resp = requests.post(
    f"{BASE_URL}/open-api/system/oauth2/token",
    auth=(CLIENT_ID, CLIENT_SECRET),  # HTTP Basic: base64(clientId:clientSecret)
    headers={"tenant-id": TENANT_ID},
    data=${data},
    timeout=10,
)
token_resp.raise_for_status()
access_token = token_resp.json()["data"]["access_token"]  # cache it and reuse it within expires_in
`;
}

function pythonSample(op: OperationFacts): string {
  const url = `f"{BASE_URL}${op.path}"`;
  if (op.auth === "basic") {
    const isRevoke = TOKEN_FIELD in op.requestExample;
    const fields = formFields(op.requestExample)
      .map(([k, v]) => `        ${JSON.stringify(k)}: ${k === TOKEN_FIELD ? "access_token" : JSON.stringify(v)},`)
      .join("\n");
    return `${PY_HEADER}
${isRevoke ? `# 1) a token to revoke\n${pythonToken(null)}\n# 2) revoke it\n` : ""}resp = requests.post(
    ${url},
    auth=(CLIENT_ID, CLIENT_SECRET),  # HTTP Basic: base64(clientId:clientSecret)
    headers={"tenant-id": TENANT_ID},
    data={
${fields}
    },
    timeout=10,
)
body = resp.json()  # {code, data, msg}: code 0 is success
print(json.dumps(body, ensure_ascii=False))
`;
  }
  return `${PY_HEADER}
# 1) obtain an access token with the scope this operation needs
${pythonToken(op.scope)}
# 2) call the operation
resp = requests.post(
    ${url},
    headers={"Authorization": f"Bearer {access_token}", "tenant-id": TENANT_ID},
    json=${pythonLiteral(op.requestExample, "    ")},
    timeout=10,
)
body = resp.json()  # {code, data, msg}: code 0 is success, another code is an error (see msg)
print(json.dumps(body, ensure_ascii=False))
`;
}

/** A Java string literal, ASCII only so the file compiles whatever the platform encoding. */
function javaString(text: string): string {
  const escaped = text
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  return `"${escaped}"`;
}

function javaClassName(op: OperationFacts): string {
  return `${op.operationId[0]?.toUpperCase()}${op.operationId.slice(1)}Sample`;
}

function javaSample(op: OperationFacts): string {
  const cls = javaClassName(op);
  const needsToken = op.auth === "bearer" || TOKEN_FIELD in op.requestExample;
  const tokenForm =
    op.scope === null ? "grant_type=client_credentials" : `grant_type=client_credentials&scope=${op.scope}`;
  const form = formFields(op.requestExample)
    .map(([k, v]) =>
      k === TOKEN_FIELD
        ? `"${k}=" + URLEncoder.encode(accessToken, StandardCharsets.UTF_8)`
        : `"${k}=" + URLEncoder.encode(${javaString(v)}, StandardCharsets.UTF_8)`,
    )
    .join(' + "&" + ');
  const tokenBlock = `        // 1) obtain an access token${op.scope ? " with the scope this operation needs" : ""}
        HttpRequest tokenReq = HttpRequest.newBuilder()
                .uri(URI.create(BASE_URL + "/open-api/system/oauth2/token"))
                .header("Authorization", "Basic " + basic)
                .header("tenant-id", TENANT_ID)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(${javaString(tokenForm)}))
                .build();
        String tokenBody = http.send(tokenReq, HttpResponse.BodyHandlers.ofString()).body();
        // In a real project parse data.access_token with a JSON library, and cache it within expires_in.
        Matcher m = Pattern.compile("\\"access_token\\"\\\\s*:\\\\s*\\"([^\\"]+)\\"").matcher(tokenBody);
        if (!m.find()) throw new IllegalStateException("no access_token in " + tokenBody);
        String accessToken = m.group(1);

`;
  const call =
    op.auth === "bearer"
      ? `        HttpRequest req = HttpRequest.newBuilder()
                .uri(URI.create(BASE_URL + ${javaString(op.path)}))
                .header("Authorization", "Bearer " + accessToken)
                .header("tenant-id", TENANT_ID)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(${javaString(JSON.stringify(op.requestExample))}))
                .build();`
      : `        HttpRequest req = HttpRequest.newBuilder()
                .uri(URI.create(BASE_URL + ${javaString(op.path)}))
                .header("Authorization", "Basic " + basic)
                .header("tenant-id", TENANT_ID)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(${form}))
                .build();`;
  return `// Run with JDK 11 or newer: java ${cls}.java
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class ${cls} {
    static final String BASE_URL = Objects.requireNonNullElse(System.getenv("OPENAPI_BASE_URL"), "${DEFAULT_BASE_URL}");
    static final String CLIENT_ID = System.getenv("OPENAPI_CLIENT_ID");
    static final String CLIENT_SECRET = System.getenv("OPENAPI_CLIENT_SECRET");
    static final String TENANT_ID = System.getenv("OPENAPI_TENANT_ID");

    public static void main(String[] args) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String basic = Base64.getEncoder()
                .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));

${needsToken ? tokenBlock : ""}        // ${needsToken ? "2) " : ""}call the operation
${call}
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        // {code, data, msg}: code 0 is success, another code is an error (see msg)
        System.out.println(resp.body());
    }
}
`;
}

function tsLiteral(value: JsonValue): string {
  return JSON.stringify(value, null, 2).replace(/"([A-Za-z_$][A-Za-z0-9_$]*)":/g, "$1:");
}

const TS_CLIENT = `// ${SDK_INSTALL_COMMAND}   (the SDK as these docs serve it; Node.js 20+, run as an ES module, e.g. with tsx)
import { createOpenApiClient, OpenApiError } from "@rizzit/open-api-client";

// The kit's client caches the token, refreshes it, retries 401/429 and unwraps {code, data, msg} into data.
const client = createOpenApiClient({
  baseUrl: process.env.OPENAPI_BASE_URL ?? "${DEFAULT_BASE_URL}",
  clientId: process.env.OPENAPI_CLIENT_ID ?? "",
  clientSecret: process.env.OPENAPI_CLIENT_SECRET ?? "",
  tenantId: process.env.OPENAPI_TENANT_ID ?? "",
});
`;

const TS_FORM = `const form = (body: Record<string, string>): string => new URLSearchParams(body).toString();
const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
`;

function typescriptTokenSample(op: OperationFacts): string {
  const issue = (body: string) =>
    `await client.raw.POST("/open-api/system/oauth2/token", {\n  body: ${body},\n  bodySerializer: form,\n  headers: formHeaders,\n})`;
  if (op.operationId === "issueToken" || !(TOKEN_FIELD in op.requestExample)) {
    return `${TS_CLIENT}
// The client fetches, caches and refreshes tokens itself (pass \`scope\` to createOpenApiClient to narrow them).
// To call the token endpoint directly, use the raw openapi-fetch client: it adds HTTP Basic and tenant-id.
${TS_FORM}
const { data, error } = ${issue(tsLiteral(op.requestExample).split("\n").join("\n  "))};
console.log(JSON.stringify(data ?? error)); // {code, data, msg}
`;
  }
  return `${TS_CLIENT}
// client.revokeToken() revokes the token the client cached. To revoke any token directly, use the raw client.
${TS_FORM}
const issued = ${issue('{ grant_type: "client_credentials" }')};
const token = issued.data?.data.access_token ?? "";
const { data, error } = await client.raw.POST(${JSON.stringify(op.path)}, {
  body: { token },
  bodySerializer: form,
  headers: formHeaders,
});
console.log(JSON.stringify(data ?? error)); // {code, data, msg}
`;
}

function typescriptSample(op: OperationFacts): string {
  if (op.auth === "basic") return typescriptTokenSample(op);
  return `${TS_CLIENT}
try {
  const data = await client.${op.operationId}(${tsLiteral(op.requestExample).split("\n").join("\n  ")});
  console.log(JSON.stringify({ code: 0, data }));
} catch (error) {
  // A business error (HTTP 200, non-zero code) is an OpenApiError of kind "business": switch on error.code.
  if (error instanceof OpenApiError && error.kind === "business") {
    console.log(JSON.stringify({ code: error.code, data: null, msg: error.msg }));
  } else {
    throw error;
  }
}
`;
}

/** The sample languages, in the order the docs offer them (Redoc matches a sample to its language by label). */
export const SAMPLE_LANGUAGES: { lang: SampleLang; label: string; source: (op: OperationFacts) => string }[] = [
  { lang: "cURL", label: "cURL", source: curlSample },
  { lang: "TypeScript", label: "TypeScript", source: typescriptSample },
  { lang: "Python", label: "Python", source: pythonSample },
  { lang: "Java", label: "Java", source: javaSample },
];

export function codeSamplesFor(op: OperationFacts): CodeSample[] {
  return SAMPLE_LANGUAGES.map(({ lang, label, source }) => ({ lang, label, source: source(op) }));
}

export { javaClassName };
