// One HTTP exchange with the server under test, and the curl command that reproduces it with the credentials as
// environment-variable references (never values), so a failure can be replayed from a CI log.
import type { ClientCredentials, Credentials, Redactor } from "./credentials.ts";
import { isObject, type JsonValue } from "./spec.ts";

export const tokenPath = "/open-api/system/oauth2/token";
export const revokePath = "/open-api/system/oauth2/token/revoke";

/** A live token and the shell lines that leave an equivalent one in $TOKEN. */
export interface TokenHandle {
  value: string;
  scope: string;
  recipe: string[];
}

export type Auth =
  | { kind: "none" }
  | { kind: "basic"; client: ClientCredentials; wrongSecret?: boolean }
  | { kind: "bearer"; token: TokenHandle }
  /** A literal Authorization value that is safe to print (a made-up token). */
  | { kind: "literal"; value: string };

export interface ApiRequest {
  method: string;
  path: string;
  /** null sends no tenant-id header at all. */
  tenantId: string | null;
  auth: Auth;
  contentType?: string;
  body?: string;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  /** The media type without parameters, lower case; null when absent. */
  mediaType: string | null;
  text: string;
  json: JsonValue | undefined;
}

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

export class ApiClient {
  /** Requests sent so far (for the benchmark's cases-per-second figure). */
  sent = 0;
  /** 429 answers that were waited out and resent. */
  rateLimited = 0;

  constructor(
    readonly baseUrl: string,
    readonly credentials: Credentials,
    readonly redactor: Redactor,
    private readonly timeoutMs = 15_000,
  ) {
    for (const client of [credentials.main, credentials.limited]) {
      if (!client) continue;
      redactor.addSecret(client.clientSecret, client.secretVar);
      redactor.addSecret(basicValue(client, false), `(base64 of $${client.idVar}:$${client.secretVar})`);
    }
  }

  /** A tenant-id that is well-formed but not the application's. */
  get otherTenantId(): string {
    return (BigInt(this.credentials.tenantId) + 1n).toString();
  }

  async send(request: ApiRequest): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (request.tenantId !== null) headers["tenant-id"] = request.tenantId;
    const auth = authorizationValue(request.auth);
    if (auth !== undefined) headers.authorization = auth;
    if (request.contentType) headers["content-type"] = request.contentType;
    let res: Response;
    // A gateway's QPS limit answers 429 with Retry-After: wait and resend (3 times at most) so that a rate-limited
    // test application does not turn every check red; the last 429 is returned and checked like any answer.
    for (let attempt = 0; ; attempt++) {
      this.sent++;
      res = await fetch(this.baseUrl + request.path, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (res.status !== 429 || attempt === 3) break;
      this.rateLimited++;
      await res.arrayBuffer();
      const wait = Math.min(5, Math.max(1, Number(res.headers.get("retry-after")) || 1));
      await new Promise((resolve) => setTimeout(resolve, wait * 1000 * (attempt + 1)));
    }
    const text = await res.text();
    let json: JsonValue | undefined;
    try {
      json = JSON.parse(text) as JsonValue;
    } catch {
      json = undefined;
    }
    // Any token a response carries is masked from here on, wherever it would be printed.
    if (isObject(json) && isObject(json.data) && typeof json.data.access_token === "string") {
      this.redactor.addToken(json.data.access_token);
    }
    const contentType = res.headers.get("content-type");
    return {
      status: res.status,
      headers: res.headers,
      mediaType: contentType ? (contentType.split(";")[0] ?? "").trim().toLowerCase() : null,
      text,
      json,
    };
  }

  /** The request as a shell snippet: token recipe lines first, then the call itself. */
  curl(request: ApiRequest): string {
    const lines: string[] = [];
    const parts = ["curl -sS -i", `-X ${request.method.toUpperCase()}`, shellQuote(this.baseUrl + request.path)];
    const auth = request.auth;
    if (auth.kind === "basic") {
      parts.push(`-u "$${auth.client.idVar}:${auth.wrongSecret ? "not-the-secret" : `$${auth.client.secretVar}`}"`);
    } else if (auth.kind === "bearer") {
      lines.push(...auth.token.recipe);
      parts.push(`-H "Authorization: Bearer $TOKEN"`);
    } else if (auth.kind === "literal") {
      parts.push(`-H ${shellQuote(`Authorization: ${auth.value}`)}`);
    }
    if (request.tenantId !== null) {
      parts.push(
        request.tenantId === this.credentials.tenantId
          ? `-H "tenant-id: $OPENAPI_TENANT_ID"`
          : `-H ${shellQuote(`tenant-id: ${request.tenantId}`)}`,
      );
    }
    if (request.contentType) parts.push(`-H ${shellQuote(`Content-Type: ${request.contentType}`)}`);
    if (request.body !== undefined) parts.push(`--data-raw ${shellQuote(request.body)}`);
    lines.push(parts.join(" "));
    return lines.join("\n");
  }

  /** Issues a token; throws with the server's answer (redacted) when the server refuses. */
  async issueToken(client: ClientCredentials, scope?: string): Promise<TokenHandle> {
    const request = tokenRequest(this.credentials.tenantId, client, scope);
    const res = await this.send(request);
    const data = isObject(res.json) && isObject(res.json.data) ? res.json.data : undefined;
    if (res.status !== 200 || typeof data?.access_token !== "string") {
      throw new Error(
        this.redactor.redact(
          `could not obtain a token for $${client.idVar}${scope ? ` with scope "${scope}"` : ""}: HTTP ${res.status} ${res.text.slice(0, 300)}. ` +
            `Check the credentials and tenant in the environment and that the application holds the scope: ${this.curl(request)}`,
        ),
      );
    }
    const recipe = this.tokenRecipe(client, scope);
    return { value: data.access_token, scope: typeof data.scope === "string" ? data.scope : "", recipe };
  }

  /** The shell line that puts a token of `client` (optionally narrowed to `scope`) into $TOKEN. */
  tokenRecipe(client: ClientCredentials, scope?: string): string[] {
    return [
      `TOKEN=$(curl -sS -X POST ${shellQuote(this.baseUrl + tokenPath)} -u "$${client.idVar}:$${client.secretVar}" ` +
        `-H "tenant-id: $OPENAPI_TENANT_ID" -d grant_type=client_credentials${scope ? ` -d ${shellQuote(`scope=${scope}`)}` : ""} | jq -r .data.access_token)`,
    ];
  }

  /** Revokes a token and returns a handle whose recipe revokes it too. */
  async revokeToken(
    client: ClientCredentials,
    token: TokenHandle,
  ): Promise<{ handle: TokenHandle; response: ApiResponse }> {
    const response = await this.send({
      method: "POST",
      path: revokePath,
      tenantId: this.credentials.tenantId,
      auth: { kind: "basic", client },
      contentType: "application/x-www-form-urlencoded",
      body: new URLSearchParams({ token: token.value }).toString(),
    });
    const recipe = [
      ...token.recipe,
      `curl -sS -X POST ${shellQuote(this.baseUrl + revokePath)} -u "$${client.idVar}:$${client.secretVar}" ` +
        `-H "tenant-id: $OPENAPI_TENANT_ID" --data-urlencode "token=$TOKEN"`,
    ];
    return { handle: { ...token, recipe }, response };
  }
}

/** The client-credentials token request, exactly as the runner sends it (and as its curl rendering shows it). */
export function tokenRequest(tenantId: string, client: ClientCredentials, scope?: string): ApiRequest {
  return {
    method: "POST",
    path: tokenPath,
    tenantId,
    auth: { kind: "basic", client },
    contentType: "application/x-www-form-urlencoded",
    body: new URLSearchParams({ grant_type: "client_credentials", ...(scope ? { scope } : {}) }).toString(),
  };
}

function basicValue(client: ClientCredentials, wrongSecret: boolean): string {
  return Buffer.from(`${client.clientId}:${wrongSecret ? "not-the-secret" : client.clientSecret}`).toString("base64");
}

function authorizationValue(auth: Auth): string | undefined {
  switch (auth.kind) {
    case "none":
      return undefined;
    case "basic":
      return `Basic ${basicValue(auth.client, auth.wrongSecret === true)}`;
    case "bearer":
      return `Bearer ${auth.token.value}`;
    case "literal":
      return auth.value;
  }
}
