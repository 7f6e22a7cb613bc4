// What the store keeps, and the purge that drops the rest while the sandbox runs (not only at start), so the file
// stays bounded under sustained load. The retention, one rule per kind of row:
//
// - Access tokens: until 10 minutes after they expire (revoked ones too). Until then an old token still answers
//   "token expired" / "token revoked", which tells a partner what to do; after, it answers "token invalid".
// - Redemption requestIds: for their idempotency window (REQUEST_ID_WINDOW_MS, 10 minutes); a redemption also
//   drops stale ones in its own transaction, so the window's answers never depend on the purge's timing.
// - Redemptions and their issued coupons: kept for good when their code has a lifetime limit (quota or
//   per-member limit: those limits count them); for codes without one, kept 48 hours, which covers the CST day
//   the daily and per-IP limits count (so no answer changes), then dropped.
//
// The purge runs every few seconds in batches of at most BATCH (100) rows, one short transaction each, and yields to
// the event loop between batches (setImmediate): requests are served between any two batches, so a backlog of
// 100,000 expired rows costs many small slices, never one pause. Every DELETE walks an index. Redemptions are
// walked in id order, which is the order they were made in, from where the last batch stopped: no index on their
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

/**
 * One batch of each kind of row, in one short transaction (the same SQL on both engines: schema.ts's indexes).
 * `walk.after`: the id the redemptions' walk has passed (every row up to it is gone or kept for good).
 */
async function purgeBatch(sql: Sql, now: number, walk: { after: number }): Promise<BatchResult> {
  const tokens = (
    await sql.run(
      `DELETE FROM tokens WHERE token_hash IN
         (SELECT token_hash FROM tokens WHERE expires_at < ? ORDER BY expires_at LIMIT ?)`,
      [now - TOKEN_GRACE_MS, BATCH],
    )
  ).changes;
  const requestIds = (
    await sql.run(
      `DELETE FROM redeem_request_ids WHERE (tenant_id, app_id, request_id) IN
         (SELECT tenant_id, app_id, request_id FROM redeem_request_ids WHERE accepted_at <= ? ORDER BY accepted_at LIMIT ?)`,
      [now - REQUEST_ID_WINDOW_MS, BATCH],
    )
  ).changes;
  // The next rows after the walk, oldest first. The walk stops at the first one still inside its retention: the
  // rows after it were made later. (A requestId's window, 10 minutes, ends long before the 48 hours.)
  const next = await sql.all<{ id: number; expired: unknown; unlimited: unknown }>(
    `SELECT r.id, r.redeemed_at < ? AS expired, c.quota = 0 AND c.per_member_limit = 0 AS unlimited
     FROM redemptions r JOIN redeem_codes c ON c.code = r.code WHERE r.id > ? ORDER BY r.id LIMIT ?`,
    [now - UNLIMITED_REDEMPTION_RETENTION_MS, walk.after, BATCH],
  );
  let redemptions = 0;
  let passed = 0;
  for (const row of next) {
    if (!row.expired) break;
    passed += 1;
    walk.after = Number(row.id);
    if (!row.unlimited) continue;
    await sql.run("DELETE FROM issued_coupons WHERE redemption_id = ?", [row.id]);
    redemptions += (await sql.run("DELETE FROM redemptions WHERE id = ?", [row.id])).changes;
  }
  if (sql.dialect === "postgres") {
    await sql.run("DELETE FROM qps_windows WHERE second < ?", [Math.floor((now - QPS_WINDOW_RETENTION_MS) / 1000)]);
  }
  return {
    counts: { tokens, requestIds, redemptions },
    more: tokens >= BATCH || requestIds >= BATCH || passed >= BATCH,
  };
}

/** The purge of one store; `step` deletes one batch of each kind and says what it deleted. */
export class StorePurge {
  /** Where the redemptions' walk is; it starts over from the first row in each process. */
  private readonly walk = { after: 0 };

  constructor(private readonly store: StoreEngine) {}

  /** One batch of each kind, in one short transaction, with the durability the store gives purges. */
  async step(now: number): Promise<BatchResult> {
    // The walk moves only once its batch committed: a batch rolled back (busy) is looked at again.
    const walk = { ...this.walk };
    const result = await this.store.purgeBatch((sql) => purgeBatch(sql, now, walk));
    this.walk.after = walk.after;
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
