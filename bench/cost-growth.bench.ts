// Does the sandbox's cost stay flat as its store fills? Goods detail with 10, 10,000 and 100,000 live tokens in
// use (the load cycles through all of them, cache warmed); redemptions with 0 and 100,000 idempotency records in
// their window; the store's size per redemption; and goods detail's p99 while the running purge deletes 100,000
// expired tokens. The sandbox runs as `npm start` does (file store, logs on); the bench writes rows into its file
// through a second SQLite connection (WAL), as the admin CLI would.
import type { ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { tokenKey } from "../mock/sandbox/credentials.ts";
import { REDEMPTION_COLUMNS } from "../mock/sandbox/domain/redemption.ts";
import {
  autocannon,
  type CannonResult,
  demoToken,
  groupCpuTicks,
  loadAverage,
  median,
  root,
  startSandbox,
  stop,
  TICK_US,
} from "./harness.ts";
import type { BenchTable } from "./run.ts";

export const title = "Sandbox cost growth: live tokens, idempotency records, store size, purge under load";

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_GROWTH_DURATION ?? 3);
const ROUNDS = Number(process.env.BENCH_GROWTH_ROUNDS ?? 2);
const REDEMPTIONS = Number(process.env.BENCH_GROWTH_REDEMPTIONS ?? 20_000);
const DETAIL = "/open-api/goods/detail";
const REDEEM = "/open-api/promotion/redeem-code/redeem";
const detailBody = JSON.stringify({ goodsId: "123456", source: 1 });

interface Measured {
  rps: number;
  p99: number;
  cpu: number;
}

/** Load on one path; `authorization` picks the header for each request (cycling through a token set). */
async function load(
  port: number,
  group: number,
  path: string,
  body: () => string,
  authorization: () => string,
  options: { duration?: number; amount?: number },
): Promise<Measured & { result: CannonResult }> {
  const before = groupCpuTicks(group);
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: CONNECTIONS,
    ...options,
    requests: [
      {
        method: "POST",
        path,
        headers: { "content-type": "application/json", "tenant-id": "1", authorization: authorization() },
        body: body(),
        setupRequest: (r) => ({ ...r, body: body(), headers: { ...r.headers, authorization: authorization() } }),
      },
    ],
  });
  if (result.errors > 0 || result.non2xx > 0) {
    throw new Error(`${path}: ${result.non2xx} non-2xx answers and ${result.errors} errors under load`);
  }
  const cpu = ((groupCpuTicks(group) - before) * TICK_US) / Math.max(1, result.requests.total);
  return { rps: result.requests.average, p99: result.latency.p99, cpu, result };
}

const cycling = (tokens: string[]) => {
  let i = 0;
  return () => `Bearer ${tokens[i++ % tokens.length]}`;
};

/** Inserts live (or, with a negative lifetime, long expired) tokens for the demo app; answers the tokens. */
function insertTokens(db: Database.Database, prefix: string, count: number, lifetimeMs: number): string[] {
  const insert = db.prepare(
    "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, 'sandbox-demo', '1', 'goods:detail:read', ?, ?)",
  );
  const tokens = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const now = Date.now();
  db.transaction(() => {
    for (const token of tokens) insert.run(tokenKey(token), now, now + lifetimeMs);
  })();
  return tokens;
}

/** The longest event-loop delay the sandbox recorded between two times (event-loop-monitor.mjs), in ms. */
function longestStall(file: string, from: number, to: number): number {
  let longest = 0;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [at, delay] = line.split(" ").map(Number);
    if (at !== undefined && delay !== undefined && at >= from && at <= to) longest = Math.max(longest, delay);
  }
  return longest;
}

const fileSize = (path: string) => {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
};

export async function run(): Promise<BenchTable> {
  const children: ChildProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), "rizzit-bench-growth-"));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  try {
    // 1. Live tokens: 10, 10k and 100k token sets in one sandbox, each warmed, then interleaved rounds.
    const path = join(dir, "tokens.db");
    // Its event loop's delays are recorded (event-loop-monitor.mjs): the purge must not pause it.
    const delays = join(dir, "event-loop.txt");
    const sandbox = await startSandbox({
      SANDBOX_DB: path,
      NODE_OPTIONS: `--import ${join(root, "bench", "event-loop-monitor.mjs")}`,
      BENCH_EVENT_LOOP_FILE: delays,
    });
    children.push(sandbox.child);
    const group = sandbox.child.pid as number;
    const db = new Database(path);
    db.pragma("busy_timeout = 5000");
    const sets = [10, 10_000, 100_000].map((n) => ({ n, tokens: insertTokens(db, `live-${n}`, n, 3_600_000) }));
    for (const set of sets) {
      await load(sandbox.port, group, DETAIL, () => detailBody, cycling(set.tokens), { amount: set.n + 5_000 });
    }
    const samples = new Map(sets.map((s) => [s.n, [] as Measured[]]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const set of sets) {
        samples
          .get(set.n)
          ?.push(
            await load(sandbox.port, group, DETAIL, () => detailBody, cycling(set.tokens), { duration: DURATION_S }),
          );
      }
    }
    const base = median((samples.get(10) ?? []).map((m) => m.rps));
    const baseCpu = median((samples.get(10) ?? []).map((m) => m.cpu));
    for (const set of sets) {
      const m = samples.get(set.n) ?? [];
      const rps = median(m.map((x) => x.rps));
      const cpu = median(m.map((x) => x.cpu));
      rows.push([
        `goods detail, ${set.n.toLocaleString("en")} live tokens in use`,
        Math.round(rps),
        median(m.map((x) => x.p99)),
        Math.round(cpu),
        `${Math.round((100 * rps) / base)}% of the 10-token rate; CPU ${Math.round((100 * cpu) / baseCpu)}%`,
      ]);
    }

    // 2. The running purge: 100,000 long-expired tokens appear; goods detail's p99 while they are purged.
    const token = await demoToken(sandbox.port, "goods:detail:read promotion:redeem-code:redeem");
    const detailFor11s = () =>
      load(
        sandbox.port,
        group,
        DETAIL,
        () => detailBody,
        () => `Bearer ${token}`,
        { duration: 11 },
      );
    const quietFrom = Date.now();
    const quiet = await detailFor11s();
    const quietStall = longestStall(delays, quietFrom, Date.now());
    insertTokens(db, "expired", 100_000, -3_600_000);
    const purgingFrom = Date.now();
    const purging = await detailFor11s();
    const purgingStall = longestStall(delays, purgingFrom, Date.now());
    const left = Number(
      db
        .prepare("SELECT COUNT(*) FROM tokens WHERE expires_at < ?")
        .pluck()
        .get(Date.now() - 600_000),
    );
    rows.push(["goods detail, no purge running (11 s)", Math.round(quiet.rps), quiet.p99, Math.round(quiet.cpu), ""]);
    rows.push([
      "goods detail while 100,000 expired tokens are purged (11 s, two purge runs)",
      Math.round(purging.rps),
      purging.p99,
      Math.round(purging.cpu),
      `max latency ${purging.result.latency.max} ms (no purge: ${quiet.result.latency.max} ms); the sandbox's longest event-loop stall ${purgingStall} ms (no purge: ${quietStall} ms); expired tokens left after: ${left}`,
    ]);
    db.close();

    // 3. Idempotency records 0 / 100,000 in the window, and the store's size per redemption.
    const rpath = join(dir, "redeem.db");
    const redeemer = await startSandbox({ SANDBOX_DB: rpath });
    children.push(redeemer.child);
    const rgroup = redeemer.child.pid as number;
    const rtoken = await demoToken(redeemer.port, "promotion:redeem-code:redeem");
    // UUID requestIds, as the SDK sends them (client/src/client.ts).
    const redeemBody = () =>
      JSON.stringify({ code: "E602F4DC626E4948", email: "member@example.com", requestId: randomUUID() });
    const rdb = new Database(rpath);
    rdb.pragma("busy_timeout = 5000");
    const none = await load(redeemer.port, rgroup, REDEEM, redeemBody, () => `Bearer ${rtoken}`, {
      duration: DURATION_S,
    });
    rdb.pragma("wal_checkpoint(TRUNCATE)");
    const sizeBefore = fileSize(rpath);
    const filled = await load(redeemer.port, rgroup, REDEEM, redeemBody, () => `Bearer ${rtoken}`, {
      amount: REDEMPTIONS,
    });
    rdb.pragma("wal_checkpoint(TRUNCATE)");
    const sizeAfter = fileSize(rpath);
    const perRedemption = (sizeAfter - sizeBefore) / REDEMPTIONS;
    rows.push([
      `redemptions, ${REDEMPTIONS.toLocaleString("en")} in a row (store growth)`,
      Math.round(filled.rps),
      filled.p99,
      Math.round(filled.cpu),
      `store +${((sizeAfter - sizeBefore) / 2 ** 20).toFixed(1)} MiB: ${Math.round(perRedemption)} bytes per redemption (row with its requestId, coupon, indexes)`,
    ]);
    // 100,000 more redemptions in the window, written by another process (as a second sandbox on the file would):
    // the sandbox reads their requestIds into its claims at its next group, which the first request below starts.
    const now = Date.now();
    const member = rdb.prepare("SELECT id FROM members WHERE email = 'member@example.com'").pluck().get();
    const redemption = rdb.prepare(
      // In REDEMPTION_COLUMNS' order: code, member, email, IP, app, tenant, requestId, CST day, time, result, limited.
      `INSERT INTO redemptions (${REDEMPTION_COLUMNS}) VALUES ('E602F4DC626E4948', ?, 'member@example.com',
         '127.0.0.1', 'sandbox-demo', '1', ?, '2026-01-01', ?, '{}', 0)`,
    );
    rdb.transaction(() => {
      for (let i = 0; i < 100_000; i++) redemption.run(member, randomUUID(), now);
    })();
    const first = await fetch(`http://127.0.0.1:${redeemer.port}${REDEEM}`, {
      method: "POST",
      headers: { "content-type": "application/json", "tenant-id": "1", authorization: `Bearer ${rtoken}` },
      body: redeemBody(),
    });
    if (first.status !== 200) throw new Error(`the redemption after the fill answered ${first.status}`);
    const many = await load(redeemer.port, rgroup, REDEEM, redeemBody, () => `Bearer ${rtoken}`, {
      duration: DURATION_S,
    });
    rdb.close();
    rows.push([
      `redemptions, fresh store (0 requestIds at the start, ${Math.round(none.result.requests.total / 1000)}k at the end)`,
      Math.round(none.rps),
      none.p99,
      Math.round(none.cpu),
      "",
    ]);
    rows.push([
      `redemptions, ${Math.round((REDEMPTIONS + none.result.requests.total) / 1000) + 100}k+ requestIds in the window`,
      Math.round(many.rps),
      many.p99,
      Math.round(many.cpu),
      `${Math.round((100 * many.rps) / none.rps)}% of the rate above; CPU ${Math.round((100 * many.cpu) / none.cpu)}%`,
    ]);
    notes.push(
      `autocannon ${CONNECTIONS} connections; token sets warmed (every token used once), then ${ROUNDS} interleaved rounds of ${DURATION_S} s (medians); the purge runs every 5 s in batches of 100 rows (synchronous NORMAL)`,
      `machine load average at the end: ${loadAverage()}`,
    );
    return { columns: ["case", "req/s", "p99 ms", "CPU µs/req", "vs baseline"], rows, notes };
  } finally {
    await Promise.all(children.map(stop));
    rmSync(dir, { recursive: true, force: true });
  }
}
