// The floor for the sandbox benchmark: a bare node:http server doing the same work for getGoodsDetail as the
// sandbox (Bearer token looked up by its SHA-256, expiry, tenant, app, IP whitelist, scope, QPS, media type, body
// limit, JSON parse, the Ajv validator compiled from the spec, envelope out) and nothing else: no framework, no
// store, no business logic (it answers the spec's example), no logs. Started by sandbox.bench.ts:
// PORT=... FLOOR_TOKEN=... tsx bench/sandbox-floor.ts
import { hash as oneShotHash } from "node:crypto";
import { createServer } from "node:http";
import { exampleValue, loadSpec, operationTable } from "../mock/sandbox/spec.ts";
import { describeValidationError, specValidators } from "../mock/sandbox/validation.ts";

const spec = loadSpec();
const entry = operationTable(spec).find((o) => o.operationId === "getGoodsDetail");
if (!entry) throw new Error("the spec has no getGoodsDetail");
const validate = specValidators(spec).compile(entry.requestSchemaPointer);
const goods = (exampleValue(spec, "GetGoodsDetailResponse") as { data: unknown }).data;
const hash = (token: string) => oneShotHash("sha256", token, "base64url");
const tokens = new Map([
  [
    hash(process.env.FLOOR_TOKEN ?? ""),
    {
      clientId: "sandbox-demo",
      tenantId: "1",
      scopes: new Set(["goods:detail:read"]),
      expiresAt: Date.now() + 3_600_000,
      revoked: false,
    },
  ],
]);
const apps = new Map([
  ["sandbox-demo", { scopes: new Set(["goods:detail:read"]), ipWhitelist: new Set<string>(), qpsLimit: 0 }],
]);
const bodyLimit = 64 * 1024;

function send(response: import("node:http").ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}
const fail = (response: import("node:http").ServerResponse, status: number, msg: string) =>
  send(response, status, { code: status, data: null, msg });

createServer((request, response) => {
  if (request.method !== "POST" || request.url !== entry.path) return fail(response, 404, "no operation");
  const auth = request.headers.authorization;
  if (auth?.slice(0, 7).toLowerCase() !== "bearer ") return fail(response, 401, "token missing");
  const record = tokens.get(hash(auth.slice(7).trim()));
  if (!record || record.revoked || record.expiresAt <= Date.now()) return fail(response, 401, "token invalid");
  const tenant = request.headers["tenant-id"];
  if (typeof tenant !== "string" || !/^[1-9][0-9]{0,18}$/.test(tenant)) return fail(response, 400, "tenant-id missing");
  if (tenant !== record.tenantId) return fail(response, 403, "tenant mismatch");
  const app = apps.get(record.clientId);
  if (!app) return fail(response, 401, "token invalid");
  const ip = request.socket.remoteAddress ?? "";
  if (app.ipWhitelist.size > 0 && !app.ipWhitelist.has(ip)) return fail(response, 403, "IP not whitelisted");
  if (!record.scopes.has("goods:detail:read") || !app.scopes.has("goods:detail:read")) {
    return fail(response, 403, "insufficient scope");
  }
  if (app.qpsLimit > 0) return fail(response, 429, "rate limited"); // the bench app has no limit
  if ((request.headers["content-type"] ?? "").split(";")[0]?.trim() !== "application/json") {
    return fail(response, 400, "wrong media type");
  }
  const chunks: Buffer[] = [];
  let size = 0;
  request.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= bodyLimit) chunks.push(chunk);
  });
  request.on("end", () => {
    if (size > bodyLimit) return fail(response, 400, "body too large");
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      return fail(response, 400, "invalid JSON");
    }
    if (!validate(body)) return fail(response, 400, describeValidationError(validate.errors));
    send(response, 200, { code: 0, data: goods, msg: "" });
  });
}).listen(Number(process.env.PORT), "127.0.0.1", () => console.log("floor ready"));
process.on("SIGINT", () => process.exit(0));
