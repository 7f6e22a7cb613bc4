// `npm run mock` (mock/prism.mjs): Prism on MOCK_PORT serving the spec's examples, switched with Prefer headers
// as mock/README.md documents.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RunningProcess, startProcess } from "../helpers.ts";
import { specChecker } from "./sandbox-client.ts";

const detail = "/open-api/goods/detail";
const conforms = specChecker();
let prism: RunningProcess;
let baseUrl: string;

beforeAll(async () => {
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  prism = await startProcess({
    command: process.execPath,
    args: ["mock/prism.mjs", "-v", "warn"],
    env: { MOCK_PORT: String(port) },
    isReady: async () => (await fetch(`${baseUrl}${detail}`, { method: "POST" })).status > 0,
  });
});
afterAll(async () => {
  await prism?.stop();
});

const ask = async (prefer?: string) => {
  const response = await fetch(`${baseUrl}${detail}`, {
    method: "POST",
    headers: {
      authorization: "Bearer x",
      "tenant-id": "1",
      "content-type": "application/json",
      ...(prefer ? { prefer } : {}),
    },
    body: JSON.stringify({ goodsId: "123456", source: 1 }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: JSON.parse(text), text };
};

describe("npm run mock", () => {
  it("listens on MOCK_PORT and answers the first example by default", async () => {
    const answer = await ask();
    expect(answer.status).toBe(200);
    expect(answer.body.data.goodsId).toBe("123456");
    expect(conforms(detail, answer)).toBeUndefined();
    expect(prism.output()).toContain(`on ${baseUrl}`);
  });

  it("switches answers with Prefer: code=, example= and both", async () => {
    const limited = await ask("code=429");
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe(429);
    const notFound = await ask("example=GoodsResponseNotFound");
    expect(notFound.body).toEqual({ code: 1008005000, data: null, msg: "Goods does not exist" });
    const ip = await ask("code=403, example=ForbiddenIpNotWhitelisted");
    expect(ip.status).toBe(403);
    expect(ip.body.msg).toMatch(/not in this application's whitelist/);
    for (const answer of [notFound, ip]) expect(conforms(detail, answer)).toBeUndefined();
  });

  it("refuses a request without tenant-id (Prism validates required headers)", async () => {
    const response = await fetch(`${baseUrl}${detail}`, {
      method: "POST",
      headers: { authorization: "Bearer x", "content-type": "application/json" },
      body: JSON.stringify({ goodsId: "123456", source: 1 }),
    });
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});
