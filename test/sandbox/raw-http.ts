// HTTP over a plain node:net socket, for what fetch cannot do: send a request's headers and most of its body, hold
// the rest while operations act (admin CLI, revocation), then release it; or trickle a body; or just hold a socket.
import { connect, type Socket } from "node:net";

export interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  /** The parsed JSON body (the envelope), or undefined when the body is not JSON. */
  body: { code: number; data: unknown; msg: string } | undefined;
  text: string;
}

/** Parses one HTTP/1.1 response (Content-Length framed, as the sandbox answers). */
export function parseResponse(raw: string): RawAnswer {
  const split = raw.indexOf("\r\n\r\n");
  const head = split < 0 ? raw : raw.slice(0, split);
  const text = split < 0 ? "" : raw.slice(split + 4);
  const [statusLine = "", ...lines] = head.split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body: RawAnswer["body"];
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: Number(statusLine.split(" ")[1]), headers, body, text };
}

export interface OpenSocket {
  socket: Socket;
  /** Everything received so far. */
  received: () => string;
  /** Resolves when the server closed the connection (or it errored). */
  closed: Promise<void>;
  isClosed: () => boolean;
}

export function openSocket(port: number): Promise<OpenSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port });
    let data = "";
    let closedFlag = false;
    socket.setEncoding("utf8");
    socket.on("data", (chunk) => {
      data += chunk;
    });
    const closed = new Promise<void>((done) => {
      socket.on("close", () => {
        closedFlag = true;
        done();
      });
    });
    socket.on("error", () => undefined);
    socket.once("connect", () => resolve({ socket, received: () => data, closed, isClosed: () => closedFlag }));
    socket.once("error", reject);
  });
}

export interface HeldRequest {
  /** Sends the rest of the body and resolves with the answer. */
  release: () => Promise<RawAnswer>;
  connection: OpenSocket;
}

/**
 * Sends a POST's headers and all of its body but the last byte, and holds that byte until `release`. The request
 * carries `Connection: close`, so the answer ends with the connection.
 */
export async function holdRequest(
  port: number,
  request: { path: string; headers: Record<string, string>; body: string },
): Promise<HeldRequest> {
  const connection = await openSocket(port);
  const body = Buffer.from(request.body);
  const head = [
    `POST ${request.path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Connection: close",
    `Content-Length: ${body.length}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
  ].join("\r\n");
  connection.socket.write(`${head}\r\n\r\n`);
  connection.socket.write(body.subarray(0, body.length - 1));
  return {
    connection,
    release: async () => {
      connection.socket.write(body.subarray(body.length - 1));
      await connection.closed;
      return parseResponse(connection.received());
    },
  };
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
