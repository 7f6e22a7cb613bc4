// Test-only: an HTTP proxy in front of the sandbox that injects one fault, so the contract suite can be shown to
// fail on a broken server. Without a fault it passes every exchange through unchanged.
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

export interface ProxyRequest {
  method: string;
  path: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface ProxyResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface FaultTools {
  /** A token of the sandbox's full-scope demo app that the suite never revokes. */
  goodToken: () => Promise<string>;
  /** Sends a request to the real sandbox. */
  upstream: (request: ProxyRequest) => Promise<ProxyResponse>;
}

export interface Fault {
  onRequest?: (
    request: ProxyRequest,
    tools: FaultTools,
  ) => Promise<ProxyRequest | ProxyResponse> | ProxyRequest | ProxyResponse;
  onResponse?: (
    request: ProxyRequest,
    response: ProxyResponse,
    tools: FaultTools,
  ) => Promise<ProxyResponse> | ProxyResponse;
}

const hopByHop = new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-length",
  "content-encoding",
  "host",
]);

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });
}

export function isResponse(value: ProxyRequest | ProxyResponse): value is ProxyResponse {
  return "status" in value;
}

export async function startMutantProxy(
  upstreamUrl: string,
  fault: Fault | undefined,
  demo: { clientId: string; clientSecret: string; tenantId: string },
): Promise<{ baseUrl: string; stop: () => Promise<void> }> {
  const upstream = async (request: ProxyRequest): Promise<ProxyResponse> => {
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([k]) => !hopByHop.has(k)));
    const res = await fetch(upstreamUrl + request.path, {
      method: request.method,
      headers,
      body: request.method === "GET" || request.method === "HEAD" ? undefined : request.body,
      redirect: "manual",
    });
    const outHeaders: Record<string, string> = {};
    res.headers.forEach((value, key) => {
      if (!hopByHop.has(key)) outHeaders[key] = value;
    });
    return { status: res.status, headers: outHeaders, body: await res.text() };
  };
  let token: Promise<string> | undefined;
  const goodToken = () => {
    token ??= (async () => {
      const res = await upstream({
        method: "POST",
        path: "/open-api/system/oauth2/token",
        headers: {
          authorization: `Basic ${Buffer.from(`${demo.clientId}:${demo.clientSecret}`).toString("base64")}`,
          "tenant-id": demo.tenantId,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials",
      });
      return (JSON.parse(res.body) as { data: { access_token: string } }).data.access_token;
    })();
    return token;
  };
  const tools: FaultTools = { goodToken, upstream };

  const server = createServer((req, res) => {
    void (async () => {
      try {
        const headers: Record<string, string> = {};
        for (const [key, value] of Object.entries(req.headers)) {
          if (typeof value === "string") headers[key.toLowerCase()] = value;
        }
        let request: ProxyRequest = {
          method: req.method ?? "GET",
          path: req.url ?? "/",
          headers,
          body: await readBody(req),
        };
        let response: ProxyResponse | undefined;
        if (fault?.onRequest) {
          const changed = await fault.onRequest(request, tools);
          if (isResponse(changed)) response = changed;
          else request = changed;
        }
        response ??= await upstream(request);
        if (fault?.onResponse) response = await fault.onResponse(request, response, tools);
        res.writeHead(response.status, response.headers);
        res.end(response.body);
      } catch (error) {
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`mutant proxy failed: ${(error as Error).message}`);
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
