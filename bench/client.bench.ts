// The SDK's cost: per-call overhead against a bare fetch + JSON.parse on loopback (and against openapi-fetch
// alone), and its minified+gzipped size next to openapi-fetch's own.
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import createClient from "openapi-fetch";
import { createOpenApiClient } from "../client/index.ts";
import type { paths } from "../generated/schema.d.ts";
import type { BenchTable } from "./run.ts";

export const title = "Partner SDK (client/): per-call overhead and bundle size";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const CONCURRENCY = 16;

// The spec's own goods-detail example, as the loopback server's fixed answer.
const examples = JSON.parse(readFileSync(join(root, "generated", "openapi.json"), "utf8")).components.examples;
const goods = JSON.stringify(examples.GetGoodsDetailResponse.value);
const token = JSON.stringify({
  code: 0,
  data: { access_token: "bench-token", refresh_token: "", token_type: "Bearer", expires_in: 1800, scope: "" },
  msg: "",
});

/** A loopback server that answers the token and goods-detail endpoints with fixed bodies. */
async function startServer(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(request.url?.endsWith("/oauth2/token") ? token : goods);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

type Call = () => Promise<unknown>;

/** Microseconds per call over `CALLS` calls, `concurrency` in flight. */
async function measure(call: Call, concurrency: number): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next++ < CALLS) await call();
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, worker));
  return Number(process.hrtime.bigint() - start) / 1000 / CALLS;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function gzippedSize(entry: { path?: string; contents?: string }, external: string[]): Promise<number> {
  const result = await build({
    ...(entry.path ? { entryPoints: [entry.path] } : { stdin: { contents: entry.contents ?? "", resolveDir: root } }),
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    write: false,
    external,
    logLevel: "silent",
  });
  return gzipSync(result.outputFiles[0]?.contents ?? new Uint8Array(), { level: 9 }).length;
}

export async function run(): Promise<BenchTable> {
  const { server, baseUrl } = await startServer();
  const headers = { authorization: "Bearer bench-token", "tenant-id": "1", "content-type": "application/json" };
  const body = JSON.stringify({ goodsId: "123456", source: 1 });
  const bare: Call = async () => {
    const response = await fetch(`${baseUrl}/open-api/goods/detail`, { method: "POST", headers, body });
    return JSON.parse(await response.text());
  };
  // The same with redirect "error": undici then skips the copy (a tee of the body stream) that following redirects
  // needs, as the SDK does on Node. The fair floor for the SDK's own cost.
  const bareNoCopy: Call = async () => {
    const init = { method: "POST", headers, body, redirect: "error" } as const;
    const response = await fetch(`${baseUrl}/open-api/goods/detail`, init);
    return JSON.parse(await response.text());
  };
  const plain = createClient<paths>({ baseUrl });
  const openapiFetch: Call = () =>
    plain.POST("/open-api/goods/detail", {
      params: { header: { "tenant-id": "1" } },
      headers: { authorization: "Bearer bench-token" },
      body: { goodsId: "123456", source: 1 },
    });
  const sdk = createOpenApiClient({ baseUrl, clientId: "bench", clientSecret: "bench-secret", tenantId: "1" });
  const sdkCall: Call = () => sdk.getGoodsDetail({ goodsId: "123456", source: 1 });

  const contenders: [string, Call][] = [
    ["bare fetch + JSON.parse", bare],
    ["bare fetch + JSON.parse, redirect error", bareNoCopy],
    ["openapi-fetch alone", openapiFetch],
    ["SDK getGoodsDetail", sdkCall],
  ];
  const rows: (string | number)[][] = [];
  try {
    for (const concurrency of process.env.BENCH_SEQUENTIAL_ONLY ? [1] : [1, CONCURRENCY]) {
      for (const [, call] of contenders) for (let i = 0; i < 300; i++) await call(); // warm-up
      const samples = new Map<string, number[]>(contenders.map(([name]) => [name, []]));
      // Interleaved rounds, median of each: the machine's drift hits every contender alike.
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, call] of contenders) samples.get(name)?.push(await measure(call, concurrency));
      }
      const baseline = median(samples.get("bare fetch + JSON.parse") ?? []);
      for (const [name] of contenders) {
        const us = median(samples.get(name) ?? []);
        rows.push([`${name}, ${concurrency} in flight`, `${us.toFixed(1)} µs/call`, `${(us / baseline).toFixed(2)}x`]);
      }
    }
  } finally {
    server.close();
  }

  // The same calls with no network at all: a fetch that answers from memory isolates the SDK's own CPU cost.
  const memoryFetch = async (request: Request) => {
    await request.arrayBuffer();
    const answer = request.url.endsWith("/oauth2/token") ? token : goods;
    return new Response(answer, { status: 200, headers: { "content-type": "application/json" } });
  };
  const memoryBare: Call = async () => {
    const response = await memoryFetch(
      new Request(`${baseUrl}/open-api/goods/detail`, { method: "POST", headers, body }),
    );
    return JSON.parse(await response.text());
  };
  const memorySdk = createOpenApiClient({
    baseUrl,
    clientId: "bench",
    clientSecret: "bench-secret",
    tenantId: "1",
    fetch: memoryFetch,
  });
  const memorySdkCall: Call = () => memorySdk.getGoodsDetail({ goodsId: "123456", source: 1 });
  const memoryPlain = createClient<paths>({ baseUrl, fetch: memoryFetch });
  const memoryOpenapiFetch: Call = () =>
    memoryPlain.POST("/open-api/goods/detail", {
      params: { header: { "tenant-id": "1" } },
      headers: { authorization: "Bearer bench-token" },
      body: { goodsId: "123456", source: 1 },
    });
  const inMemory: [string, Call][] = [
    ["in-memory fetch: Request + Response + JSON.parse", memoryBare],
    ["in-memory fetch: openapi-fetch alone", memoryOpenapiFetch],
    ["in-memory fetch: SDK getGoodsDetail", memorySdkCall],
  ];
  for (const [, call] of inMemory) for (let i = 0; i < 1000; i++) await call();
  const memory = new Map<string, number[]>(inMemory.map(([name]) => [name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, call] of inMemory) memory.get(name)?.push(await measure(call, 1));
  }
  const memoryBaseline = median(memory.get("in-memory fetch: Request + Response + JSON.parse") ?? []);
  for (const [name] of inMemory) {
    const us = median(memory.get(name) ?? []);
    const delta = us - memoryBaseline;
    const extra = us === memoryBaseline ? "" : ` (${delta >= 0 ? "+" : "-"}${Math.abs(delta).toFixed(1)} µs)`;
    rows.push([`${name}${extra}`, `${us.toFixed(1)} µs/call`, `${(us / memoryBaseline).toFixed(2)}x`]);
  }

  const openapiFetchSize = await gzippedSize({ contents: 'export { default } from "openapi-fetch";' }, []);
  const sdkOwn = await gzippedSize({ path: join(root, "client", "index.ts") }, ["openapi-fetch"]);
  const sdkTotal = await gzippedSize({ path: join(root, "client", "index.ts") }, []);
  rows.push(
    ["openapi-fetch 0.17.0, min+gz", `${openapiFetchSize} B`, "1.00x"],
    ["SDK's own code, min+gz (openapi-fetch external)", `${sdkOwn} B`, `${(sdkOwn / openapiFetchSize).toFixed(2)}x`],
    ["SDK with openapi-fetch bundled, min+gz", `${sdkTotal} B`, `${(sdkTotal / openapiFetchSize).toFixed(2)}x`],
  );
  return {
    columns: ["measure", "value", "ratio"],
    rows,
    notes: [
      `${CALLS} POST /open-api/goods/detail calls per round, median of ${ROUNDS} interleaved rounds, loopback node:http server with fixed bodies; token cached (one token request in all)`,
      "the SDK does per call: token-cache lookup (no promise when cached), openapi-fetch builds a CallRequest (URL, merged headers and serialised body as they are; not a Request), one AbortController per call in the client's scope of calls in flight (close() aborts them; no AbortSignal.any), each attempt calls the runtime's fetch with URL and init (no bodied Request), on Node with redirect error first (no copy of the body; a redirect is followed by sending again), the response read and parsed once by the SDK (openapi-fetch is told parseAs stream and leaves it alone; no re-wrapped Response), envelope unwrap",
      "ratios against the bare fetch as most code writes it (redirect follow); the redirect-error row is the same fetch without undici's body copy, the floor for the SDK's own cost",
      "in-memory rows: the same calls with a fetch that answers from memory, no socket: the SDK's own CPU cost per call, free of loopback noise",
      "sizes: esbuild --bundle --minify --format=esm --platform=neutral, gzip -9; ratios against openapi-fetch",
    ],
  };
}
