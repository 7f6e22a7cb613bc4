// A scripted fetch for the SDK's unit tests: it records every request the SDK sends and answers from a script.
// Nothing is mocked inside the SDK; only the network is replaced, through the SDK's own `fetch` option.
import { createOpenApiClient, type OpenApiClient, type OpenApiClientOptions } from "../../client/index.ts";
import { specExample } from "../helpers.ts";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** The JSON body, parsed, or undefined for a form body. */
  json: unknown;
  /** The request's signal, for scripts that answer only when the test says so (or the SDK aborts). */
  signal: AbortSignal;
}

/** Answers one request: a Response, or a thrown error for a network failure. */
export type Script = (request: RecordedRequest, index: number) => Response | Promise<Response>;

export const TOKEN_PATH = "/open-api/system/oauth2/token";
export const REVOKE_PATH = "/open-api/system/oauth2/token/revoke";

export function envelope(
  code: number,
  data: unknown,
  options: { status?: number; msg?: string; headers?: Record<string, string> } = {},
): Response {
  return new Response(JSON.stringify({ code, data, msg: options.msg ?? "" }), {
    status: options.status ?? 200,
    headers: { "content-type": "application/json", ...options.headers },
  });
}

export const ok = (data: unknown): Response => envelope(0, data);

/**
 * An answer the test releases by hand, as a slow network would deliver it; rejects like fetch when the request's
 * signal aborts first.
 */
export function heldAnswer(request: RecordedRequest): { answer: Promise<Response>; release: (r: Response) => void } {
  let release: (response: Response) => void = () => undefined;
  const answer = new Promise<Response>((resolve, reject) => {
    release = resolve;
    if (request.signal.aborted) reject(request.signal.reason);
    request.signal.addEventListener("abort", () => reject(request.signal.reason), { once: true });
  });
  return { answer, release };
}

export function protocolError(status: number, msg: string, headers: Record<string, string> = {}): Response {
  return envelope(status, null, { status, msg, headers });
}

export function tokenAnswer(accessToken: string, expiresIn = 1800): Response {
  return ok({ access_token: accessToken, refresh_token: "", token_type: "Bearer", expires_in: expiresIn, scope: "" });
}

/** The goods of the spec's own example, so the scripted answers cannot drift from the contract. */
export const GOODS = specExample("GetGoodsDetailResponse").data;

export interface Harness {
  client: OpenApiClient;
  requests: RecordedRequest[];
  /** Requests to the token endpoint. */
  tokenRequests: () => RecordedRequest[];
  /** Requests to anything but the token endpoints. */
  businessRequests: () => RecordedRequest[];
  /** Every wait the SDK asked for between retries, in ms. */
  sleeps: number[];
  /** Moves the client's clock. */
  advance: (ms: number) => void;
}

/**
 * A client on a scripted network with a hand-driven clock and instant sleeps: tests never wait real seconds.
 * `script` answers business requests; token requests get `token-1`, `token-2`, ... unless `tokenScript` is given.
 */
export function harness(
  script: Script,
  options: Partial<OpenApiClientOptions> & { tokenScript?: Script } = {},
): Harness {
  const requests: RecordedRequest[] = [];
  const sleeps: number[] = [];
  let clock = Date.parse("2026-11-22T12:00:00Z");
  let tokensIssued = 0;
  const { tokenScript, ...clientOptions } = options;
  const fetch = async (request: Request): Promise<Response> => {
    const body = await request.text();
    const recorded: RecordedRequest = {
      method: request.method,
      path: new URL(request.url).pathname,
      headers: Object.fromEntries(request.headers),
      body,
      json: request.headers.get("content-type")?.includes("json") ? JSON.parse(body) : undefined,
      signal: request.signal,
    };
    const index = requests.push(recorded) - 1;
    // Let concurrent callers interleave as they would on a real network.
    await new Promise((resolve) => setImmediate(resolve));
    if (recorded.path === TOKEN_PATH) {
      if (tokenScript) return tokenScript(recorded, index);
      tokensIssued++;
      return tokenAnswer(`token-${tokensIssued}`);
    }
    return script(recorded, index);
  };
  const client = createOpenApiClient({
    baseUrl: "https://api-qa.rizzitbuy.com",
    clientId: "partner-app",
    clientSecret: "s3cret-value",
    tenantId: "1",
    fetch,
    hooks: {
      now: () => clock,
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 1,
    },
    ...clientOptions,
  });
  return {
    client,
    requests,
    tokenRequests: () => requests.filter((r) => r.path === TOKEN_PATH),
    businessRequests: () => requests.filter((r) => r.path !== TOKEN_PATH && r.path !== REVOKE_PATH),
    sleeps,
    advance: (ms) => {
      clock += ms;
    },
  };
}
