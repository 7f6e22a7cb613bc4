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
// 100,000 expired rows costs many small slices, never one pause. Every DELETE walks an index. A batch that meets
// another process's write lock (the admin CLI) is simply tried again at the next run.
import { REQUEST_ID_WINDOW_MS } from "./domain/redemption.ts";
import { type Db, isStoreBusy, RelaxedDurability } from "./store.ts";

export const TOKEN_GRACE_MS = 10 * 60_000;
export const UNLIMITED_REDEMPTION_RETENTION_MS = 48 * 3_600_000;
const BATCH = 100;
const EVERY_MS = 5_000;

/** Indexes the purge needs so that each batch reads only what it deletes. */
export function migrateRetention(db: Db): void {
  db.exec(`
    CREATE INDEX IF NOT EXISTS tokens_by_expiry ON tokens(expires_at);
    CREATE INDEX IF NOT EXISTS redemptions_by_time ON redemptions(redeemed_at);
    CREATE INDEX IF NOT EXISTS issued_coupons_by_redemption ON issued_coupons(redemption_id);
  `);
}

export interface PurgeCounts {
  tokens: number;
  requestIds: number;
  redemptions: number;
}

/** The purge's statements; `step` deletes one batch of the first kind that has any, and says what it deleted. */
export class StorePurge {
  private readonly tokens;
  private readonly requestIds;
  private readonly coupons;
  private readonly redemptions;
  private readonly oldRedemptions;
  private readonly batch;
  private readonly relaxed;

  constructor(db: Db) {
    this.relaxed = new RelaxedDurability(db);
    migrateRetention(db);
    this.tokens = db.prepare(
      "DELETE FROM tokens WHERE rowid IN (SELECT rowid FROM tokens WHERE expires_at < ? ORDER BY expires_at LIMIT ?)",
    );
    this.requestIds = db.prepare(
      `DELETE FROM redeem_request_ids WHERE rowid IN
         (SELECT rowid FROM redeem_request_ids WHERE accepted_at <= ? ORDER BY accepted_at LIMIT ?)`,
    );
    this.oldRedemptions = db
      .prepare<[number, number], number>(
        `SELECT r.id FROM redemptions r JOIN redeem_codes c ON c.code = r.code
         WHERE r.redeemed_at < ? AND c.quota = 0 AND c.per_member_limit = 0
           AND NOT EXISTS (SELECT 1 FROM redeem_request_ids q
             WHERE q.tenant_id = r.tenant_id AND q.app_id = r.app_id AND q.request_id = r.request_id)
         ORDER BY r.redeemed_at LIMIT ?`,
      )
      .pluck();
    this.coupons = db.prepare("DELETE FROM issued_coupons WHERE redemption_id = ?");
    this.redemptions = db.prepare("DELETE FROM redemptions WHERE id = ?");
    this.batch = db.transaction((now: number): PurgeCounts => {
      const tokens = this.tokens.run(now - TOKEN_GRACE_MS, BATCH).changes;
      const requestIds = this.requestIds.run(now - REQUEST_ID_WINDOW_MS, BATCH).changes;
      let redemptions = 0;
      for (const id of this.oldRedemptions.all(now - UNLIMITED_REDEMPTION_RETENTION_MS, BATCH)) {
        this.coupons.run(id);
        redemptions += this.redemptions.run(id).changes;
      }
      return { tokens, requestIds, redemptions };
    });
  }

  /** One batch of each kind, in one short transaction. */
  step(now: number): PurgeCounts {
    // NORMAL: a purge lost to a power failure is redone by the next run; and the event loop does not wait for an
    // fsync per batch (that pause showed in goods detail's p99 while 100,000 rows were purged).
    return this.relaxed.run(() => this.batch.immediate(now));
  }

  /** Batches until nothing is left to purge (tests and the start-up prune; the running purge yields between). */
  all(now: number): PurgeCounts {
    const total = { tokens: 0, requestIds: 0, redemptions: 0 };
    for (;;) {
      const counts = this.step(now);
      total.tokens += counts.tokens;
      total.requestIds += counts.requestIds;
      total.redemptions += counts.redemptions;
      if (!isFullBatch(counts)) return total;
    }
  }
}

const isFullBatch = (c: PurgeCounts): boolean => c.tokens >= BATCH || c.requestIds >= BATCH || c.redemptions >= BATCH;

/**
 * Purges every EVERY_MS while the sandbox runs, yielding between batches. Returns stop(). `report.purged` hears
 * each run that deleted anything; `report.failed` an unexpected error (the purge goes on at the next run: a purge
 * that fails must not stop the sandbox).
 */
export function startPurge(
  db: Db,
  report: { purged: (counts: PurgeCounts) => void; failed: (error: unknown) => void },
  now: () => number = Date.now,
  everyMs = EVERY_MS,
): () => void {
  const purge = new StorePurge(db);
  let stopped = false;
  let running = false;
  const run = () => {
    if (running || stopped) return;
    running = true;
    const total = { tokens: 0, requestIds: 0, redemptions: 0 };
    const next = () => {
      if (stopped) return;
      let counts: PurgeCounts;
      try {
        counts = purge.step(now());
      } catch (error) {
        running = false;
        if (!isStoreBusy(error)) report.failed(error); // busy: another process writes, the next run tries again
        return;
      }
      total.tokens += counts.tokens;
      total.requestIds += counts.requestIds;
      total.redemptions += counts.redemptions;
      if (isFullBatch(counts)) return void setImmediate(next);
      running = false;
      if (total.tokens + total.requestIds + total.redemptions > 0) report.purged(total);
    };
    next();
  };
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
