// getGoodsDetail under the same load (autocannon, same connections and duration) against: the sandbox with
// full auth and validation, Prism at its fastest (`-v silent`), and the floor (bench/sandbox-floor.ts: a bare
// node:http server doing the same checks). Targets: sandbox >= 5x Prism, >= 85% of the floor, p99 < 5 ms.
import type { ChildProcess } from "node:child_process";
import { loadavg } from "node:os";
import {
  autocannon,
  bin,
  type CannonResult,
  freePort,
  groupCpuTicks,
  median,
  start,
  stop,
  TICK_US,
} from "./harness.ts";
import type { BenchTable } from "./run.ts";

export const title = "Sandbox (mock/sandbox/): getGoodsDetail throughput and p99 vs Prism and a node:http floor";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP_S = 2;

async function load(url: string, headers: Record<string, string>, duration: number): Promise<CannonResult> {
  const result = await autocannon({
    url,
    method: "POST",
    headers: { "content-type": "application/json", "tenant-id": "1", ...headers },
    body: JSON.stringify({ goodsId: "123456", source: 1 }),
    connections: CONNECTIONS,
    duration,
  });
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  return result;
}

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** Process group of the server (spawned detached: the group holds the tsx/npx wrapper and the server). */
  group: number;
  rounds: CannonResult[];
  /** CPU time the server's processes spent per answered request, per round, in microseconds. */
  cpuPerRequest: number[];
}

export async function run(): Promise<BenchTable> {
  const detail = "/open-api/goods/detail";
  const children: ChildProcess[] = [];
  try {
    // The sandbox as `npm start` runs it (request logs on, at their default level), store in memory; and the
    // same with request logs off, to show what the access log costs.
    const startSandbox = async (logLevel: string) => {
      const port = await freePort();
      children.push(
        await start(
          bin("tsx"),
          ["mock/sandbox/main.ts"],
          { PORT: String(port), SANDBOX_DB: ":memory:", SANDBOX_LOG_LEVEL: logLevel },
          `http://127.0.0.1:${port}/docs`,
        ),
      );
      const issued = await fetch(`http://127.0.0.1:${port}/open-api/system/oauth2/token`, {
        method: "POST",
        headers: {
          authorization: `Basic ${Buffer.from("sandbox-demo:sandbox-demo-secret").toString("base64")}`,
          "tenant-id": "1",
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "grant_type=client_credentials&scope=goods:detail:read",
      });
      const token = ((await issued.json()) as { data: { access_token: string } }).data.access_token;
      return { port, token, group: children.at(-1)?.pid as number };
    };
    const logged = await startSandbox("info");
    const quiet = await startSandbox("warn");
    const { port: sandboxPort, token } = logged;

    const prismPort = await freePort();
    children.push(
      await start(
        bin("prism"),
        ["mock", "generated/openapi.json", "-h", "127.0.0.1", "-p", String(prismPort), "-v", "silent"],
        {},
        `http://127.0.0.1:${prismPort}${detail}`,
      ),
    );
    const floorPort = await freePort();
    children.push(
      await start(
        bin("tsx"),
        ["bench/sandbox-floor.ts"],
        { PORT: String(floorPort), FLOOR_TOKEN: token },
        `http://127.0.0.1:${floorPort}/`,
      ),
    );

    const targets: Target[] = [
      {
        name: "sandbox (Fastify + SQLite, full auth + validation, request logs on)",
        url: `http://127.0.0.1:${sandboxPort}${detail}`,
        headers: { authorization: `Bearer ${token}` },
        group: logged.group,
        rounds: [],
        cpuPerRequest: [],
      },
      {
        name: "Prism 5.14.2 mock -v silent",
        url: `http://127.0.0.1:${prismPort}${detail}`,
        headers: { authorization: "Bearer x" },
        group: children[2]?.pid as number,
        rounds: [],
        cpuPerRequest: [],
      },
      {
        name: "floor (bare node:http, same checks)",
        url: `http://127.0.0.1:${floorPort}${detail}`,
        headers: { authorization: `Bearer ${token}` },
        group: children[3]?.pid as number,
        rounds: [],
        cpuPerRequest: [],
      },
      {
        name: "sandbox, request logs off (SANDBOX_LOG_LEVEL=warn)",
        url: `http://127.0.0.1:${quiet.port}${detail}`,
        headers: { authorization: `Bearer ${quiet.token}` },
        group: quiet.group,
        rounds: [],
        cpuPerRequest: [],
      },
    ];
    for (const target of targets) await load(target.url, target.headers, WARMUP_S);
    // Rounds interleave the servers, so background load on a shared machine hits all of them alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const target of targets) {
        const before = groupCpuTicks(target.group);
        const result = await load(target.url, target.headers, DURATION_S);
        target.rounds.push(result);
        target.cpuPerRequest.push(((groupCpuTicks(target.group) - before) * TICK_US) / result.requests.total);
      }
    }

    const rps = (t: Target) => median(t.rounds.map((r) => r.requests.average));
    const p99 = (t: Target) => median(t.rounds.map((r) => r.latency.p99));
    const cpu = (t: Target) => median(t.cpuPerRequest);
    const [sandbox, prism, floor] = targets as [Target, Target, Target];
    return {
      columns: [
        "server",
        "req/s (median)",
        "p50 ms",
        "p99 ms (median)",
        "req/s vs Prism",
        "req/s vs floor",
        "CPU µs/request",
        "CPU-bound capacity vs floor",
      ],
      rows: targets.map((t) => [
        t.name,
        Math.round(rps(t)),
        median(t.rounds.map((r) => r.latency.p50)),
        p99(t),
        `${(rps(t) / rps(prism)).toFixed(2)}x`,
        `${Math.round((100 * rps(t)) / rps(floor))}%`,
        Math.round(cpu(t)),
        `${Math.round((100 * cpu(floor)) / cpu(t))}%`,
      ]),
      notes: [
        `autocannon ${CONNECTIONS} connections; ${WARMUP_S} s warm-up each, then ${ROUNDS} interleaved rounds of ${DURATION_S} s per server (medians); POST ${detail} {"goodsId":"123456","source":1}`,
        `per-round req/s: ${targets.map((t) => `${t.name.split(" ")[0]} ${t.rounds.map((r) => Math.round(r.requests.average)).join("/")}`).join("; ")}`,
        `machine load average at the end: ${loadavg()
          .map((l) => l.toFixed(1))
          .join(" ")} (other work on the box lowers req/s; CPU µs/request is the steadier figure)`,
        `targets: sandbox >= 5x Prism (${(rps(sandbox) / rps(prism)).toFixed(2)}x), >= 85% of floor (${Math.round((100 * rps(sandbox)) / rps(floor))}%), p99 < 5 ms (${p99(sandbox)} ms)`,
      ],
    };
  } finally {
    await Promise.all(children.map(stop));
  }
}
