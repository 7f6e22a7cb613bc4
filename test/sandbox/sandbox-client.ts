// Test plumbing for the sandbox tests: token requests and business calls as a partner would send them, and a
// second, independent check of every answer against the spec (the server checks itself too).
import { loadBundledSpec } from "../helpers.ts";
import { createSpecValidator } from "../spec/spec-ajv.ts";
import { deref } from "../spec/spec-checks.ts";

export const demo = { clientId: "sandbox-demo", secret: "sandbox-demo-secret", tenantId: "1" } as const;
export const reader = {
  clientId: "sandbox-goods-reader",
  secret: "sandbox-goods-reader-secret",
  tenantId: "1",
} as const;
export const goodsQuery = { goodsId: "123456", source: 1 } as const;

export interface Answer {
  status: number;
  headers: Headers;
  body: { code: number; data: unknown; msg: string };
  text: string;
}

export const basic = (clientId: string, secret: string) =>
  `Basic ${Buffer.from(`${clientId}:${secret}`).toString("base64")}`;

export async function send(url: string, init: RequestInit): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let body: Answer["body"];
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(
      `${init.method ?? "GET"} ${url} answered ${response.status} with a non-JSON body: ${text.slice(0, 200)}`,
    );
  }
  return { status: response.status, headers: response.headers, body, text };
}

export function tokenRequest(
  baseUrl: string,
  credentials: { clientId: string; secret: string; tenantId: string },
  form: Record<string, string> = { grant_type: "client_credentials" },
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(`${baseUrl}/open-api/system/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: basic(credentials.clientId, credentials.secret),
      "tenant-id": credentials.tenantId,
      "content-type": "application/x-www-form-urlencoded",
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  });
}

/** A fresh access token, failing loudly when the sandbox refuses one. */
export async function token(
  baseUrl: string,
  credentials: { clientId: string; secret: string; tenantId: string } = demo,
  scope?: string,
): Promise<string> {
  const answer = await tokenRequest(baseUrl, credentials, {
    grant_type: "client_credentials",
    ...(scope ? { scope } : {}),
  });
  if (answer.status !== 200) throw new Error(`token refused: ${answer.status} ${answer.text}`);
  return (answer.body.data as { access_token: string }).access_token;
}

export function call(
  baseUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  return send(`${baseUrl}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", "tenant-id": "1", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

export const bearer = (accessToken: string) => ({ authorization: `Bearer ${accessToken}` });

/** Validates an answer against the response schema the spec gives for this path and status. */
export function specChecker() {
  const spec = loadBundledSpec();
  const validator = createSpecValidator(spec);
  return (path: string, answer: Answer): string | undefined => {
    const responses = spec.paths[path]?.post?.responses;
    if (!responses) return `no operation at POST ${path}`;
    const response = responses[String(answer.status)];
    if (!response) return `HTTP ${answer.status} is not documented for ${path}`;
    const errors = validator.validate(deref(spec, response).content["application/json"].schema, answer.body);
    return errors.length === 0 ? undefined : `${path} ${answer.status}: ${errors.join("; ")}`;
  };
}
