// What the store keeps, and the purge that drops the rest while the sandbox runs (not only at start), so the file
// stays bounded under sustained load. The retention, one rule per kind of row:
//
// - Access tokens: until 10 minutes after they expire (revoked ones too). Until then an old token still answers
//   "token expired" / "token revoked", which tells a partner what to do; after, it answers "token invalid".
// - Redemption requestIds: for their idempotency window (REQUEST_ID_WINDOW_MS, 10 minutes); a redemption also
//   takes over a stale one in its own transaction, so the window's answers never depend on the purge's timing.
//   (The claims table this purge walks is every claim on PostgreSQL; on SQLite only the claims beyond the
//   redeemer's memory, which drops its own as their window ends.)
// - Redemptions and their issued coupons: kept for good when their code has a lifetime limit (quota or
//   per-member limit: those limits count them); for codes without one, kept 48 hours, which covers the CST day
//   the daily and per-IP limits count (so no answer changes), then dropped.
//
// The purge runs every few seconds in batches of at most BATCH (100) rows, one short transaction each, and yields to
// the event loop between batches (setImmediate): requests are served between any two batches, so a backlog of
// 100,000 expired rows costs many small slices, never one pause. Every DELETE walks an index. Redemptions are
// walked in id order, which is the order they were made in, from where the last batch stopped, twice: 10 minutes
// behind for their requestIds' claims, 48 hours behind for themselves. So no index of claims or redemptions by
// time is written by every redemption for the purge's sake, and the rows kept for good (limited codes) are passed
// once per process, not read again by every batch. A batch that meets
// another process's write lock (the admin CLI) is simply tried again at the next run. On PostgreSQL every
// instance purges; their batches take row locks, so two never delete the same row twice (the second finds it gone).
import { REQUEST_ID_WINDOW_MS } from "./domain/redemption.ts";
import type { Sql } from "./sql.ts";
import type { StoreEngine } from "./store-engine.ts";

export const TOKEN_GRACE_MS = 10 * 60_000;
export const UNLIMITED_REDEMPTION_RETENTION_MS = 48 * 3_600_000;
/** PostgreSQL's shared QPS windows: a window older than this is never counted again. */
const QPS_WINDOW_RETENTION_MS = 10_000;
const BATCH = 100;
const EVERY_MS = 5_000;
const BUSY_RETRIES = 20;
const BUSY_PAUSE_MS = 25;

export interface PurgeCounts {
  tokens: number;
  requestIds: number;
  redemptions: number;
}

/** One batch's counts, and whether a kind had more than a batch to look at (the next batch follows at once). */
interface BatchResult {
  counts: PurgeCounts;
  more: boolean;
}

/** Where the two walks over redemptions (in id order) are: every row up to each id was looked at. */
interface Walks {
  /** The claims' walk: requestIds claimed more than their window ago. */
  claims: number;
  /** The redemptions' walk: rows past their retention. */
  redemptions: number;
}

/** One batch of each kind of row, in one short transaction (the same SQL on both engines: schema.ts's indexes). */
async function purgeBatch(sql: Sql, now: number, walk: Walks): Promise<BatchResult> {
  const tokens = (
    await sql.run(
      `DELETE FROM tokens WHERE token_hash IN
         (SELECT token_hash FROM tokens WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`,
      [now - TOKEN_GRACE_MS, BATCH],
    )
  ).changes;
  // A requestId is claimed in the transaction that writes its redemption (a refusal writes neither), so the claims
  // are found through their redemptions, walked like them one window behind instead of 48 hours: no index of
  // claims by time for every redemption to write. This walk runs first and is never behind the redemptions'
  // walk, so no claim outlives its redemption. A claim taken over by a later redemption (after the window) has a
  // later accepted_at: it stays for that one's turn.
  const claims = await walkRedemptions<{ tenant_id: string; app_id: string; request_id: string | null }>(
    sql,
    { columns: "r.tenant_id, r.app_id, r.request_id", from: "redemptions r" },
    { walk, which: "claims", before: now - REQUEST_ID_WINDOW_MS + 1 },
    async (row) =>
      row.request_id === null
        ? 0
        : (
            await sql.run(
              "DELETE FROM redeem_request_ids WHERE tenant_id = ? AND app_id = ? AND request_id = ? AND accepted_at <= ?",
              [row.tenant_id, row.app_id, row.request_id, now - REQUEST_ID_WINDOW_MS],
            )
          ).changes,
  );
  // Redemptions past their retention, of codes without a lifetime limit (the others are kept for good).
  const redemptions = await walkRedemptions<{ unlimited: unknown }>(
    sql,
    {
      columns: "c.quota = 0 AND c.per_member_limit = 0 AS unlimited",
      from: "redemptions r JOIN redeem_codes c ON c.code = r.code",
    },
    { walk, which: "redemptions", before: now - UNLIMITED_REDEMPTION_RETENTION_MS },
    async (row) => {
      if (!row.unlimited) return 0;
      await sql.run("DELETE FROM issued_coupons WHERE redemption_id = ?", [row.id]);
      return (await sql.run("DELETE FROM redemptions WHERE id = ?", [row.id])).changes;
    },
  );
  if (sql.dialect === "postgres") {
    await sql.run("DELETE FROM qps_windows WHERE second < ?", [Math.floor((now - QPS_WINDOW_RETENTION_MS) / 1000)]);
  }
  return {
    counts: { tokens, requestIds: claims.deleted, redemptions: redemptions.deleted },
    more: tokens >= BATCH || claims.passed >= BATCH || redemptions.passed >= BATCH,
  };
}

/**
 * One step of a walk over redemptions in id order: the next rows after where it is (at most BATCH), each made
 * before `before` handed to `visit` (which answers how many rows it deleted) and passed. It stops at the first row
 * made later: the rows after it were made later still.
 */
async function walkRedemptions<Row>(
  sql: Sql,
  query: { columns: string; from: string },
  step: { walk: Walks; which: keyof Walks; before: number },
  visit: (row: Row & { id: number }) => Promise<number>,
): Promise<{ passed: number; deleted: number }> {
  const rows = await sql.all<Row & { id: number; due: unknown }>(
    `SELECT r.id, r.redeemed_at < ? AS due, ${query.columns} FROM ${query.from}
     WHERE r.id > ? ORDER BY r.id LIMIT ?`,
    [step.before, step.walk[step.which], BATCH],
  );
  let passed = 0;
  let deleted = 0;
  for (const row of rows) {
    if (!row.due) break;
    deleted += await visit(row);
    passed += 1;
    step.walk[step.which] = Number(row.id);
  }
  return { passed, deleted };
}

/** The purge of one store; `step` deletes one batch of each kind and says what it deleted. */
export class StorePurge {
  /** Where the walks over redemptions are; they start over from the first row in each process. */
  private readonly walks: Walks = { claims: 0, redemptions: 0 };

  constructor(private readonly store: StoreEngine) {}

  /** One batch of each kind, in one short transaction, with the durability the store gives purges. */
  async step(now: number): Promise<BatchResult> {
    // The walks move only once their batch committed: a batch rolled back (busy) is looked at again.
    const walks = { ...this.walks };
    const result = await this.store.purgeBatch((sql) => purgeBatch(sql, now, walks));
    Object.assign(this.walks, walks);
    return result;
  }

  /** Batches until nothing is left to purge (tests and the start-up prune; the running purge yields between). */
  async all(now: number): Promise<PurgeCounts> {
    const total = { tokens: 0, requestIds: 0, redemptions: 0 };
    for (;;) {
      const { counts, more } = await this.step(now);
      total.tokens += counts.tokens;
      total.requestIds += counts.requestIds;
      total.redemptions += counts.redemptions;
      if (!more) return total;
    }
  }
}

/**
 * Purges every EVERY_MS while the sandbox runs, yielding between batches. Returns stop(). `report.purged` hears
 * each run that deleted anything; `report.failed` an unexpected error (the purge goes on at the next run: a purge
 * that fails must not stop the sandbox).
 */
export function startPurge(
  store: StoreEngine,
  report: { purged: (counts: PurgeCounts) => void; failed: (error: unknown) => void },
  now: () => number = Date.now,
  everyMs = EVERY_MS,
): () => void {
  const purge = new StorePurge(store);
  let stopped = false;
  let running = false;
  const run = () => {
    if (running || stopped) return;
    running = true;
    const total = { tokens: 0, requestIds: 0, redemptions: 0 };
    let busyInARow = 0;
    const next = async () => {
      if (stopped) return;
      let counts: PurgeCounts;
      let more: boolean;
      try {
        ({ counts, more } = await purge.step(now()));
        busyInARow = 0;
      } catch (error) {
        // Busy (another process writes, or the WAL checkpointer restarts the log): the batch is tried again in a
        // moment, a few times, then at the next run. Anything else is reported.
        if (store.isBusy(error) && ++busyInARow <= BUSY_RETRIES)
          return void setTimeout(() => void next(), BUSY_PAUSE_MS);
        running = false;
        if (!store.isBusy(error)) report.failed(error);
        return;
      }
      total.tokens += counts.tokens;
      total.requestIds += counts.requestIds;
      total.redemptions += counts.redemptions;
      if (more) return void setImmediate(() => void next());
      running = false;
      if (total.tokens + total.requestIds + total.redemptions > 0) report.purged(total);
    };
    void next();
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
