// A Postman collection (format v2.1) derived from a language bundle of the spec: one folder per tag, one request per
// operation with the spec's first request example as its body. The token request stores the access token in a
// collection variable, so a partner runs "Obtain an access token" once and then any business request.

import { DEFAULT_BASE_URL } from "./code-samples.ts";
import type { JsonValue } from "./jsonpath.ts";
import { type JsonObject, listOperations } from "./operations.ts";

export const POSTMAN_SCHEMA = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json";

interface Tag {
  name: string;
  description?: string;
  "x-displayName"?: string;
}

function request(op: ReturnType<typeof listOperations>[number]): JsonObject {
  const header: JsonValue[] = [{ key: "tenant-id", value: "{{tenantId}}" }];
  let body: JsonObject;
  if (op.contentType === "application/json") {
    header.push({ key: "Content-Type", value: "application/json" });
    body = { mode: "raw", raw: JSON.stringify(op.requestExample, null, 2), options: { raw: { language: "json" } } };
  } else {
    body = {
      mode: "urlencoded",
      urlencoded: Object.entries(op.requestExample).map(([key, value]) => ({
        key,
        value: key === "token" ? "{{accessToken}}" : String(value),
      })),
    };
  }
  const auth: JsonObject =
    op.auth === "basic"
      ? {
          type: "basic",
          basic: [
            { key: "username", value: "{{clientId}}" },
            { key: "password", value: "{{clientSecret}}" },
          ],
        }
      : { type: "bearer", bearer: [{ key: "token", value: "{{accessToken}}" }] };
  const segments = op.path.split("/").filter(Boolean);
  return {
    method: op.method.toUpperCase(),
    header,
    auth,
    body,
    url: { raw: `{{baseUrl}}${op.path}`, host: ["{{baseUrl}}"], path: segments },
    description: op.description,
  };
}

/** Saves the issued token for the other requests (Postman sandbox script, runs in Postman only). */
const SAVE_TOKEN_SCRIPT = [
  "const body = pm.response.json();",
  "if (body.code === 0) pm.collectionVariables.set('accessToken', body.data.access_token);",
];

export function postmanCollection(spec: JsonObject, languageTag: string): JsonObject {
  const info = spec.info as JsonObject;
  const tags = (spec.tags ?? []) as unknown as Tag[];
  const operations = listOperations(spec);
  const folders = tags.map((tag) => ({
    name: tag["x-displayName"] ?? tag.name,
    description: tag.description ?? "",
    item: operations
      .filter((op) => op.tag === tag.name)
      .map((op) => ({
        name: op.summary,
        request: request(op),
        ...(op.operationId === "issueToken"
          ? { event: [{ listen: "test", script: { type: "text/javascript", exec: SAVE_TOKEN_SCRIPT } }] }
          : {}),
      })),
  }));
  return {
    info: {
      name: `${String(info.title)} ${String(info.version)} (${languageTag})`,
      description: String(info.summary ?? ""),
      schema: POSTMAN_SCHEMA,
    },
    item: folders,
    variable: [
      { key: "baseUrl", value: DEFAULT_BASE_URL },
      { key: "tenantId", value: "" },
      { key: "clientId", value: "" },
      { key: "clientSecret", value: "" },
      { key: "accessToken", value: "" },
    ],
  };
}
