// Every operation of the spec under the same load, the sandbox as `npm start` runs it (file store, request logs
// on) against Prism `-v silent`, and for getGoodsDetail also the bare node:http floor (bench/sandbox-floor.ts).
// Each operation gets a sandbox of its own on a fresh store. Rounds interleave the servers per operation, so
// background load hits them alike; CPU µs per request of each server's process group is the steadier figure on a
// shared machine. Targets: every operation >= 5x Prism; goods detail >= 85% of the floor with p99 < 5 ms.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  autocannon,
  bin,
  type CannonRequest,
  type CannonResult,
  DEMO_BASIC,
  demoToken,
  freePort,
  groupCpuTicks,
  loadAverage,
  median,
  root,
  start,
  startSandbox,
  stop,
  TICK_US,
} from "./harness.ts";
import type { BenchTable } from "./run.ts";

export const title = "Sandbox, every operation (file store, logs on) vs Prism -v silent and the node:http floor";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_OP_DURATION ?? 2);
const ROUNDS = Number(process.env.BENCH_OP_ROUNDS ?? 5);
const WARMUP_S = 1;
/** `BENCH_OPS=redeem,issue`: only the operations whose id contains one of the words (all when unset). */
const ONLY = (process.env.BENCH_OPS ?? "").split(",").filter((word) => word !== "");

const examples = JSON.parse(readFileSync(join(root, "generated", "openapi.json"), "utf8")).components.examples;
const example = (name: string) => examples[name].value as Record<string, unknown>;

interface Operation {
  id: string;
  path: string;
  form?: boolean;
  basic?: boolean;
  body: () => string;
}

let sequence = 0;
const operations: Operation[] = [
  {
    id: "issueToken",
    path: "/open-api/system/oauth2/token",
    form: true,
    basic: true,
    body: () => new URLSearchParams(example("IssueTokenRequest") as Record<string, string>).toString(),
  },
  {
    id: "revokeToken",
    path: "/open-api/system/oauth2/token/revoke",
    form: true,
    basic: true,
    body: () => new URLSearchParams(example("RevokeTokenRequest") as Record<string, string>).toString(),
  },
  {
    id: "getGoodsDetail",
    path: "/open-api/goods/detail",
    body: () => JSON.stringify(example("GetGoodsDetailRequest")),
  },
  {
    id: "getGoodsQcDetail",
    path: "/open-api/goods/qc-detail",
    body: () => JSON.stringify(example("GetGoodsQcDetailRequest")),
  },
  {
    id: "listGoodsQcImages",
    path: "/open-api/goods/qc-images",
    body: () => JSON.stringify(example("ListGoodsQcImagesRequest")),
  },
  {
    id: "pageGoodsQc (pageSize 100)",
    path: "/open-api/goods/qc-page",
    body: () => JSON.stringify({ pageNo: 1, pageSize: 100 }),
  },
  {
    id: "searchGoodsByImage",
    path: "/open-api/goods/search-by-images",
    body: () => JSON.stringify(example("SearchGoodsByImageRequest")),
  },
  {
    id: "parseGoodsUrl",
    path: "/open-api/goods/search-url-parse",
    body: () => JSON.stringify(example("ParseGoodsUrlRequest")),
  },
  {
    id: "redeemCouponCode (new requestId each)",
    path: "/open-api/promotion/redeem-code/redeem",
    body: () =>
      JSON.stringify({ ...example("RedeemCouponCodeRequest"), requestId: `BENCH-${process.pid}-${++sequence}` }),
  },
  {
    // What the partner SDK sends (client/src/client.ts: crypto.randomUUID()). The requestId claims are a b-tree
    // keyed by requestId: sequential IDs append to a few leaves, random ones dirty a leaf each (a WAL frame, its
    // fsync and its checkpoint copy per redemption).
    id: "redeemCouponCode (UUID requestIds, as the SDK sends)",
    path: "/open-api/promotion/redeem-code/redeem",
    body: () => JSON.stringify({ ...example("RedeemCouponCodeRequest"), requestId: randomUUID() }),
  },
];

interface Target {
  name: string;
  port: number;
  group: number;
  bearer: string;
}

interface Sample {
  rps: number[];
  p99: number[];
  cpu: number[];
  /** autocannon's own CPU per request (it runs in this process): on 2 cores it shares the machine with the server. */
  client: number[];
  non2xx: number;
}

async function load(target: Target, op: Operation, duration: number): Promise<CannonResult> {
  const headers: Record<string, string> = {
    "content-type": op.form ? "application/x-www-form-urlencoded" : "application/json",
    "tenant-id": "1",
    authorization: op.basic ? DEMO_BASIC : `Bearer ${target.bearer}`,
  };
  const request: CannonRequest = {
    method: "POST",
    path: op.path,
    headers,
    body: op.body(),
    setupRequest: (r) => ({ ...r, body: op.body() }),
  };
  const result = await autocannon({
    url: `http://127.0.0.1:${target.port}`,
    requests: [request],
    connections: CONNECTIONS,
    duration,
  });
  if (result.errors > 0) throw new Error(`${target.name} ${op.id}: ${result.errors} errors under load`);
  return result;
}

async function measure(target: Target, op: Operation, sample: Sample): Promise<void> {
  const before = groupCpuTicks(target.group);
  const client = process.cpuUsage();
  const result = await load(target, op, DURATION_S);
  const used = process.cpuUsage(client);
  const requests = Math.max(1, result.requests.total);
  sample.rps.push(result.requests.average);
  sample.p99.push(result.latency.p99);
  sample.cpu.push(((groupCpuTicks(target.group) - before) * TICK_US) / requests);
  sample.client.push((used.user + used.system) / requests);
  sample.non2xx += result.non2xx;
}

const emptySample = (): Sample => ({ rps: [], p99: [], cpu: [], client: [], non2xx: 0 });

export async function run(): Promise<BenchTable> {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), "rizzit-bench-ops-"));
  try {
    // The floor accepts one fixed token (it has no store); each sandbox below issues its own.
    const floorToken = "bench-floor-token";
    const prismPort = await freePort();
    const prism = await start(
      bin("prism"),
      ["mock", "generated/openapi.json", "-h", "127.0.0.1", "-p", String(prismPort), "-v", "silent"],
      {},
      `http://127.0.0.1:${prismPort}/open-api/goods/detail`,
    );
    children.push(prism);
    const floorPort = await freePort();
    const floor = await start(
      bin("tsx"),
      ["bench/sandbox-floor.ts"],
      { PORT: String(floorPort), FLOOR_TOKEN: floorToken },
      `http://127.0.0.1:${floorPort}/`,
    );
    children.push(floor);
    const targets = {
      prism: { name: "Prism", port: prismPort, group: prism.pid as number, bearer: "x" },
      floor: { name: "floor", port: floorPort, group: floor.pid as number, bearer: floorToken },
    } satisfies Record<string, Target>;

    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const [index, op] of operations
      .filter((o) => ONLY.length === 0 || ONLY.some((word) => o.id.includes(word)))
      .entries()) {
      // A sandbox of its own per operation, on a fresh file store: what one operation leaves behind (the WAL
      // checkpointer still copying 300,000 tokens' pages after issueToken) is not billed to the next row.
      const sandbox = await startSandbox({ SANDBOX_DB: join(dir, `sandbox-${index}.db`) });
      children.push(sandbox.child);
      const own: Target = {
        name: "sandbox",
        port: sandbox.port,
        group: sandbox.child.pid as number,
        bearer: await demoToken(
          sandbox.port,
          "goods:detail:read goods:qc:read goods:search:read promotion:redeem-code:redeem",
        ),
      };
      const withFloor = op.id === "getGoodsDetail";
      const racers: Target[] = withFloor ? [own, targets.prism, targets.floor] : [own, targets.prism];
      const samples = new Map(racers.map((t) => [t, emptySample()]));
      for (const t of racers) await load(t, op, WARMUP_S);
      for (let round = 0; round < ROUNDS; round++) {
        for (const t of racers) await measure(t, op, samples.get(t) as Sample);
      }
      await stop(sandbox.child);
      const s = samples.get(own) as Sample;
      const p = samples.get(targets.prism) as Sample;
      const f = samples.get(targets.floor);
      rows.push([
        op.id,
        Math.round(median(s.rps)),
        median(s.p99),
        Math.round(median(s.cpu)),
        Math.round(median(s.client)),
        Math.round(median(p.rps)),
        Math.round(median(p.cpu)),
        `${(median(s.rps) / median(p.rps)).toFixed(1)}x`,
        `${(median(p.cpu) / median(s.cpu)).toFixed(1)}x`,
        f
          ? `${Math.round((100 * median(s.rps)) / median(f.rps))}% (floor ${Math.round(median(f.rps))} req/s, ${Math.round(median(f.cpu))} µs)`
          : "",
      ]);
      if (s.non2xx > 0 || p.non2xx > 0) notes.push(`${op.id}: non-2xx answers: sandbox ${s.non2xx}, Prism ${p.non2xx}`);
    }
    return {
      columns: [
        "operation",
        "sandbox req/s",
        "sandbox p99 ms",
        "sandbox CPU µs/req",
        "autocannon CPU µs/req",
        "Prism req/s",
        "Prism CPU µs/req",
        "req/s vs Prism",
        "CPU vs Prism",
        "req/s vs floor",
      ],
      rows,
      notes: [
        `autocannon ${CONNECTIONS} connections; per operation ${WARMUP_S} s warm-up each, then ${ROUNDS} interleaved rounds of ${DURATION_S} s (medians); each operation on a sandbox of its own on a fresh file store (WAL; redemption groups NORMAL + fdatasync before answering, revocations FULL, token inserts NORMAL), request logs on`,
        "autocannon CPU µs/req: the load generator's own CPU per request against the sandbox (it builds each body anew). On 2 cores it shares the machine with the sandbox, so it lowers the sandbox's req/s and hardly Prism's (one thread on its own core): the CPU ratio is the server's cost, the req/s ratio also the client's",
        ...notes,
        `machine load average at the end: ${loadAverage()}`,
      ],
    };
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}
