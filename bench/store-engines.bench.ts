// The sandbox's two store engines under the same load: one instance on a SQLite file (the `npm start` default),
// one on PostgreSQL, and two on one PostgreSQL database sharing the load (as two machines behind a balancer would).
// PostgreSQL is a private durable cluster (fsync on) started for the run, a fresh database per configuration.
// Rounds interleave the configurations per operation, so background load hits them alike. CPU µs per request is
// read from /proc: the sandboxes' process groups, and separately the PostgreSQL server (postmaster and backends).
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { DEMO_MEMBER_EMAIL, DEMO_REDEEM_CODE } from "../mock/sandbox/domain/redemption.ts";
import { startPostgresCluster } from "../test/postgres-cluster.ts";
import {
  autocannon,
  type CannonResult,
  demoToken,
  groupCpuTicks,
  loadAverage,
  median,
  startSandbox,
  stop,
  TICK_US,
  treeCpuTicks,
} from "./harness.ts";
import type { BenchTable } from "./run.ts";

export const title = "Sandbox store engines: SQLite vs PostgreSQL, one and two instances";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_ENGINES_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_ENGINES_ROUNDS ?? 3);
const WARMUP_S = 1;

interface Operation {
  id: string;
  path: string;
  scope: string;
  body: () => string;
}

let sequence = 0;
const operations: Operation[] = [
  {
    id: "getGoodsDetail",
    path: "/open-api/goods/detail",
    scope: "goods:detail:read",
    body: () => JSON.stringify({ goodsId: "123456", source: 1 }),
  },
  {
    id: "redeemCouponCode (new requestId each)",
    path: "/open-api/promotion/redeem-code/redeem",
    scope: "promotion:redeem-code:redeem",
    body: () =>
      JSON.stringify({
        code: DEMO_REDEEM_CODE,
        email: DEMO_MEMBER_EMAIL,
        requestId: `ENGINES-${process.pid}-${++sequence}`,
      }),
  },
];

interface Instance {
  port: number;
  group: number;
}

interface Configuration {
  name: string;
  instances: Instance[];
  /** The PostgreSQL server's postmaster, whose process tree's CPU is counted; null for SQLite. */
  postmaster: number | null;
  /** Where redemptions land, to compare what was answered with what was stored. */
  countRedemptions: () => Promise<number>;
  /** Redemptions answered with code 0, warm-ups included. */
  redeemed: number;
  tokens: Map<string, string>;
}

interface Sample {
  rps: number[];
  p99: number[];
  cpu: number[];
  pgCpu: number[];
  /** "HTTP status / envelope code" -> answers, over warm-up and rounds: anything but "200 / 0" is reported. */
  answers: Map<string, number>;
  errors: number;
  timeouts: number;
}

const emptySample = (): Sample => ({
  rps: [],
  p99: [],
  cpu: [],
  pgCpu: [],
  answers: new Map(),
  errors: 0,
  timeouts: 0,
});

/** One autocannon per instance at once, the connections split evenly; answers tallied by status and code. */
async function load(config: Configuration, op: Operation, duration: number, sample: Sample): Promise<CannonResult[]> {
  const perInstance = CONNECTIONS / config.instances.length;
  const tally = (status: number, body: string) => {
    const code = /"code":(-?\d+)/.exec(body.slice(0, 40))?.[1] ?? "?";
    const key = `${status} / ${code}`;
    sample.answers.set(key, (sample.answers.get(key) ?? 0) + 1);
    if (status === 200 && code === "0" && op.path.includes("redeem")) config.redeemed += 1;
  };
  const results = await Promise.all(
    config.instances.map((instance) =>
      autocannon({
        url: `http://127.0.0.1:${instance.port}`,
        connections: perInstance,
        duration,
        requests: [
          {
            method: "POST",
            path: op.path,
            headers: {
              "content-type": "application/json",
              "tenant-id": "1",
              authorization: `Bearer ${config.tokens.get(op.scope)}`,
            },
            body: op.body(),
            setupRequest: (r) => ({ ...r, body: op.body() }),
            onResponse: tally,
          },
        ],
      }),
    ),
  );
  for (const r of results) {
    sample.errors += r.errors;
    sample.timeouts += r.timeouts;
  }
  return results;
}

async function measure(config: Configuration, op: Operation, sample: Sample) {
  const { postmaster } = config;
  const groups = () => config.instances.reduce((sum, i) => sum + groupCpuTicks(i.group), 0);
  const before = groups();
  const pgBefore = postmaster === null ? 0 : treeCpuTicks(postmaster);
  const results = await load(config, op, DURATION_S, sample);
  const total = Math.max(
    1,
    results.reduce((sum, r) => sum + r.requests.total, 0),
  );
  sample.cpu.push(((groups() - before) * TICK_US) / total);
  if (postmaster !== null) sample.pgCpu.push(((treeCpuTicks(postmaster) - pgBefore) * TICK_US) / total);
  sample.rps.push(results.reduce((sum, r) => sum + r.requests.average, 0));
  sample.p99.push(Math.max(...results.map((r) => r.latency.p99)));
}

async function countPostgres(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return Number((await client.query("SELECT COUNT(*) AS n FROM redemptions")).rows[0].n);
  } finally {
    await client.end();
  }
}

function countSqlite(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM redemptions").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function withTokens(config: Omit<Configuration, "tokens" | "redeemed">): Promise<Configuration> {
  const tokens = new Map<string, string>();
  // A token issued by the first instance: with PostgreSQL the second one finds it in the shared database.
  for (const op of operations) tokens.set(op.scope, await demoToken(config.instances[0]?.port as number, op.scope));
  return { ...config, tokens, redeemed: 0 };
}

export async function run(): Promise<BenchTable> {
  const children: ChildProcess[] = [];
  // Durable, as a real deployment runs it: fsync and synchronous_commit on (tests use a fast cluster).
  const cluster = await startPostgresCluster({ fast: false });
  const dir = mkdtempSync(join(tmpdir(), "rizzit-bench-engines-"));
  try {
    const postmaster = Number(readFileSync(join(cluster.dir, "postmaster.pid"), "utf8").split("\n")[0]);
    const sandbox = async (db: string): Promise<Instance> => {
      const started = await startSandbox({ SANDBOX_DB: db });
      children.push(started.child);
      return { port: started.port, group: started.child.pid as number };
    };
    const sqlitePath = join(dir, "sandbox.db");
    const onePg = await cluster.createDatabase("bench_one_instance");
    const twoPg = await cluster.createDatabase("bench_two_instances");
    const configs = [
      await withTokens({
        name: "SQLite file, 1 instance",
        instances: [await sandbox(sqlitePath)],
        postmaster: null,
        countRedemptions: async () => countSqlite(sqlitePath),
      }),
      await withTokens({
        name: "PostgreSQL, 1 instance",
        instances: [await sandbox(onePg)],
        postmaster,
        countRedemptions: () => countPostgres(onePg),
      }),
      await withTokens({
        name: "PostgreSQL, 2 instances (25 + 25 connections)",
        // One after the other: both migrate under an advisory lock, but the second then finds the schema made.
        instances: [await sandbox(twoPg), await sandbox(twoPg)],
        postmaster,
        countRedemptions: () => countPostgres(twoPg),
      }),
    ];

    const rows: (string | number)[][] = [];
    const notes: string[] = [];
    for (const op of operations) {
      const samples = new Map(configs.map((c) => [c, emptySample()]));
      for (const c of configs) await load(c, op, WARMUP_S, samples.get(c) as Sample);
      for (let round = 0; round < ROUNDS; round++) {
        for (const c of configs) await measure(c, op, samples.get(c) as Sample);
      }
      const base = samples.get(configs[0] as Configuration) as Sample;
      for (const c of configs) {
        const s = samples.get(c) as Sample;
        const pgCpu = s.pgCpu.length > 0 ? Math.round(median(s.pgCpu)) : "";
        const allCpu = median(s.cpu) + (s.pgCpu.length > 0 ? median(s.pgCpu) : 0);
        const baseCpu = median(base.cpu);
        rows.push([
          op.id,
          c.name,
          Math.round(median(s.rps)),
          median(s.p99),
          Math.round(median(s.cpu)),
          pgCpu,
          Math.round(allCpu),
          c === configs[0] ? "1.00x" : `${(median(s.rps) / median(base.rps)).toFixed(2)}x`,
          c === configs[0] ? "1.00x" : `${(allCpu / baseCpu).toFixed(2)}x`,
        ]);
        const odd = [...s.answers].filter(([key]) => key !== "200 / 0");
        if (odd.length > 0 || s.errors > 0 || s.timeouts > 0) {
          const total = [...s.answers.values()].reduce((a, b) => a + b, 0);
          notes.push(
            `${op.id}, ${c.name}: ${odd.map(([k, n]) => `${n} answers "${k}"`).join(", ") || "all answers 200 / 0"} of ${total}; ${s.errors} errors, ${s.timeouts} timeouts`,
          );
        }
      }
    }
    for (const c of configs) {
      const stored = await c.countRedemptions();
      notes.push(
        `${c.name}: ${c.redeemed} redemptions answered code 0, ${stored} stored (stored - answered = ${stored - c.redeemed}: requests still in flight when autocannon stopped, at most ${CONNECTIONS} per run)`,
      );
    }
    return {
      columns: [
        "operation",
        "configuration",
        "req/s",
        "p99 ms",
        "sandbox CPU µs/req",
        "PostgreSQL CPU µs/req",
        "total CPU µs/req",
        "req/s vs SQLite",
        "total CPU vs SQLite",
      ],
      rows,
      notes: [
        `autocannon ${CONNECTIONS} connections in total (two instances: two autocannons at once in the bench process, 25 connections each, req/s summed, p99 the larger); per operation ${WARMUP_S} s warm-up each, then ${ROUNDS} interleaved rounds of ${DURATION_S} s (medians); request logs on (SANDBOX_LOG_LEVEL info, as npm start); sandbox CPU summed over its instances' process groups, PostgreSQL CPU of the postmaster and its children (backends, WAL writer, checkpointer, autovacuum)`,
        "durability: SQLite WAL, redemption groups NORMAL + fdatasync of the WAL before answering, token inserts NORMAL; PostgreSQL a private cluster with fsync on (durable defaults), redemptions a transaction each with synchronous_commit on, token inserts synchronous_commit off; pool of 10 connections per instance (SANDBOX_PG_POOL default)",
        "what 2 cores can show: the two instances, PostgreSQL and autocannon share the same 2 cores, so a second instance cannot add throughput here (it only splits the same CPU); the figures show each engine's cost per request, that two instances on one database stay correct (answers vs stored rows below), and what their coordination costs. On N machines the instance tier scales out, while PostgreSQL stays the shared bottleneck for writes (every write a transaction there; the redemptions of a code with limits queue on its row lock)",
        ...notes,
        `machine load average at the end: ${loadAverage()}`,
      ],
    };
  } finally {
    await Promise.all(children.map(stop));
    await cluster.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
