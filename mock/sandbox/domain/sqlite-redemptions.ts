// The SQLite redeemer: redemptions committed in groups ("group commit"). The redemptions that arrive while the
// event loop is busy, or while the previous group's fsync runs, are applied in one IMMEDIATE transaction and share
// one COMMIT and one fsync of the WAL, done off the event loop (store.ts DurableCommit), instead of one blocking
// fsync each. One group's fsync at a time: the next group waits for it and grows meanwhile. And a group is
// committed only once redemptions stop arriving: each turn of the event loop reads what the sockets have ready,
// so the group waits turn by turn while a turn brings more (at most GATHER_MS, GROUP_MAX redemptions). Under 50
// connections a group then holds ~48 redemptions instead of ~25 (the clients answered by the previous group are
// in it too): BEGIN, COMMIT, the WAL frames of the pages every redemption touches and the fsync (~115 µs a group
// here) are shared by twice as many, ~4 µs less per redemption. A lone request waits one turn. Every answer is
// sent only after the fsync that covers its redemption, so nothing acknowledged can be lost, power loss included.
// Within a group the redemptions run one after another in arrival order, exactly as separate transactions would:
// each reads and checks every rule first and writes (requestId claim, redemption, coupons) only once all passed, so
// a business error leaves nothing behind; a repeated requestId in the same group meets the earlier claim, as across
// groups.
// No savepoint per redemption, then (SAVEPOINT/RELEASE and their statement journal cost ~4 µs a redemption): only
// a write that fails halfway would leave a partial redemption, and then the whole group, not yet answered, is
// rolled back and run again with a savepoint each, where that failure stays its own. The rules are
// redemption.ts's; this file only reads and writes.
//
// Members, codes and their templates are written only by operators (the admin CLI), and read by every
// redemption: they are cached here, and the cache is dropped when anything else wrote to the store, checked at the
// start of each group inside its transaction (so after the write lock was taken, when every earlier commit is
// visible): SQLite's data_version for other connections (the admin CLI's process), and sql.ts's count of this
// connection's own writes. A code voided a moment ago is refused by the next group.
import type Database from "better-sqlite3";
import type { RedeemContext } from "../domain-port.ts";
import type { RequestBody } from "../operation-types.ts";
import type { SqliteSql } from "../sql.ts";
import { DurableCommit } from "../store.ts";
import type { RedeemAnswer, Redeemer } from "../store-engine.ts";
import { cstDay } from "./platform-time.ts";
import {
  type BoundTemplate,
  type CodeRow,
  type CodeUsage,
  codeRefusal,
  issueCoupons,
  REDEMPTION_COLUMNS,
  REQUEST_ID_WINDOW_MS,
  RedeemRefused,
  type RedeemResult,
  redeemErrors,
  redemptionRow,
  usageRefusal,
} from "./redemption.ts";

interface Pending {
  body: RequestBody<"redeemCouponCode">;
  ctx: RedeemContext;
  resolve: (result: RedeemAnswer) => void;
  reject: (error: unknown) => void;
}

type Outcome = { result: RedeemAnswer } | { error: unknown };

/** How long a group may wait for more redemptions while they keep arriving: the latency gathering may add. */
const GATHER_MS = 2;
/** The most redemptions one group takes (one transaction's work on the event loop, ~7 µs each). */
const GROUP_MAX = 256;

/** Entries per cache at most; beyond, a cache starts over (operators' data: a few thousand rows at most here). */
const CACHE_LIMIT = 10_000;

/** A Map of what a redemption reads that only operators write: filled on a miss, emptied on any change. */
class Facts<T> {
  private readonly entries = new Map<string, T>();

  get(key: string, load: () => T | undefined): T | undefined {
    const cached = this.entries.get(key);
    if (cached !== undefined) return cached;
    const loaded = load();
    if (loaded !== undefined) {
      if (this.entries.size >= CACHE_LIMIT) this.entries.clear();
      this.entries.set(key, loaded);
    }
    return loaded;
  }

  clear(): void {
    this.entries.clear();
  }
}

export class SqliteRedeemer implements Redeemer {
  private readonly statements;
  /** Made once: better-sqlite3's transaction wrapper costs 6-8 µs to build (it was built per redemption). */
  private readonly one;
  private readonly group;
  private queue: Pending[] = [];
  /** A group is committed and its fsync not yet done: the next group waits (and grows) until it is. */
  private syncing = false;
  /** While a group gathers: when it began, and how many were waiting at the last turn. */
  private gatherStarted = 0;
  private gathered = 0;
  /** Groups committed since start (with `redeemed`: the mean group size, for tests and profiling). */
  groups = 0;
  redeemed = 0;
  private readonly durable;
  private readonly members = new Facts<{ id: number; email: string }>();
  private readonly codes = new Facts<CodeRow>();
  private readonly templates = new Facts<BoundTemplate[]>();
  private readonly dataVersion;
  private seen = { version: -1, localWrites: -1 };

  constructor(
    db: Database.Database,
    private readonly sql: SqliteSql,
    private readonly limits = { gatherMs: GATHER_MS, groupMax: GROUP_MAX },
  ) {
    this.durable = new DurableCommit(db);
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    // Nested in `group`, a better-sqlite3 transaction is a SAVEPOINT: a failure rolls back this redemption only.
    this.one = db.transaction((body: RequestBody<"redeemCouponCode">, ctx: RedeemContext) =>
      this.redeemInTransaction(body, ctx),
    );
    this.group = db.transaction((batch: Pending[], guarded: boolean): Outcome[] => {
      this.dropStaleFacts();
      return batch.map((item) => (guarded ? this.settle(item) : this.settleFast(item)));
    });
    this.statements = {
      // When a requestId was accepted: asked only when a rule refused (redeemInTransaction).
      requestIdAcceptedAt: db
        .prepare<[string, string, string], number>(
          "SELECT accepted_at FROM redeem_request_ids WHERE tenant_id = ? AND app_id = ? AND request_id = ?",
        )
        .pluck(),
      // Claims the requestId: a new one is inserted, one older than its window is taken over (the running purge
      // drops the rest, retention.ts), one inside its window is left alone and changes nothing (a repeat).
      claimRequestId: db.prepare(
        `INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (tenant_id, app_id, request_id) DO UPDATE SET accepted_at = excluded.accepted_at
           WHERE redeem_request_ids.accepted_at <= ?`,
      ),
      memberByEmail: db.prepare<[string, string], { id: number; email: string }>(
        "SELECT id, email FROM members WHERE tenant_id = ? AND email = ?",
      ),
      code: db.prepare<[string, string], CodeRow>("SELECT * FROM redeem_codes WHERE code = ? AND tenant_id = ?"),
      countAll: db.prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND limited = 1").pluck(),
      countMember: db
        .prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND member_id = ? AND limited = 1")
        .pluck(),
      countDay: db.prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND cst_day = ? AND limited = 1").pluck(),
      countDayIp: db
        .prepare("SELECT COUNT(*) FROM redemptions WHERE code = ? AND cst_day = ? AND client_ip = ? AND limited = 1")
        .pluck(),
      templates: db.prepare<[string], BoundTemplate>(
        `SELECT t.*, ct.weight FROM redeem_code_templates ct JOIN coupon_templates t ON t.id = ct.template_id
         WHERE ct.code = ? ORDER BY ct.position`,
      ),
      insertRedemption: db.prepare(
        `INSERT INTO redemptions (${REDEMPTION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertCoupon: db.prepare(
        `INSERT INTO issued_coupons (redemption_id, position, member_id, template_id, valid_start, valid_end)
         VALUES (?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /** Empties the caches when anything but a redemption wrote since the last group (runs inside the transaction). */
  private dropStaleFacts(): void {
    const version = this.dataVersion.get() as number;
    const localWrites = this.sql.local.writes;
    if (version === this.seen.version && localWrites === this.seen.localWrites) return;
    this.members.clear();
    this.codes.clear();
    this.templates.clear();
    this.seen = { version, localWrites };
  }

  redeem(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): Promise<RedeemAnswer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ body, ctx, resolve, reject });
      if (this.queue.length === 1 && !this.syncing) this.gather();
    });
  }

  /** A group begins to gather: the first redemption is waiting and no fsync runs. */
  private gather(): void {
    this.gatherStarted = performance.now();
    this.gathered = 0;
    setImmediate(this.nextTurn);
  }

  /** One turn of the event loop later: wait another turn if this one brought redemptions, else commit. */
  private readonly nextTurn = (): void => {
    const waiting = this.queue.length;
    if (
      waiting > this.gathered &&
      waiting < this.limits.groupMax &&
      performance.now() - this.gatherStarted < this.limits.gatherMs
    ) {
      this.gathered = waiting;
      setImmediate(this.nextTurn);
    } else {
      this.flush();
    }
  };

  /** Commits the waiting redemptions as one group, then answers each (after COMMIT returned). */
  private flush(): void {
    const batch = this.queue;
    this.queue = [];
    this.groups += 1;
    this.redeemed += batch.length;
    let outcomes: Outcome[];
    this.syncing = true;
    try {
      // IMMEDIATE takes the write lock first, so two processes on one file serialise here instead of failing
      // halfway with SQLITE_BUSY (which rejects the whole group: the server retries each request on timers).
      outcomes = this.durable.run(
        () => {
          try {
            return this.group.immediate(batch, false);
          } catch (error) {
            if (!(error instanceof PartialWrite)) throw error;
            // Rolled back: nothing of the group stays. Again, each redemption in a savepoint of its own.
            return this.group.immediate(batch, true);
          }
        },
        (error) => {
          this.synced();
          // Answered only once the group is durable (after the WAL's fsync).
          for (let i = 0; i < batch.length; i++) {
            const item = batch[i] as Pending;
            const outcome = outcomes[i] as Outcome;
            if (error) item.reject(error);
            else if ("result" in outcome) item.resolve(outcome.result);
            else item.reject(outcome.error);
          }
        },
      );
    } catch (error) {
      this.synced();
      for (const item of batch) item.reject(error);
    }
  }

  /** The group's fsync is done (or the group failed before it): the redemptions that waited form the next one. */
  private synced(): void {
    this.syncing = false;
    if (this.queue.length > 0) this.gather();
  }

  /**
   * One redemption of a group run without savepoints: its rules only read, and it writes only once they all
   * passed, so a refusal leaves nothing to undo. A write that fails leaves a partial redemption in the group's
   * transaction: the whole group is rolled back (nothing was answered yet) and run again with a savepoint each.
   */
  private settleFast(item: Pending): Outcome {
    try {
      return { result: { ok: true, data: this.redeemInTransaction(item.body, item.ctx, false) } };
    } catch (error) {
      if (error instanceof RedeemRefused) return { result: { ok: false, ...redeemErrors[error.key] } };
      if (error instanceof PartialWrite) throw error;
      return { error };
    }
  }

  /** One redemption inside the group's transaction, in its own savepoint; its failure stays its own. */
  private settle(item: Pending): Outcome {
    try {
      return { result: { ok: true, data: this.one(item.body, item.ctx) } };
    } catch (error) {
      if (error instanceof RedeemRefused) return { result: { ok: false, ...redeemErrors[error.key] } };
      return { error };
    }
  }

  /**
   * Checks every rule (reads only), then writes. `guarded`: inside a savepoint (a failed write rolls back this
   * redemption only); otherwise a failed write is reported as PartialWrite.
   */
  private redeemInTransaction(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext, guarded = true): RedeemResult {
    const s = this.statements;
    const now = ctx.now.getTime();
    let passed: ReturnType<SqliteRedeemer["rules"]>;
    try {
      passed = this.rules(body, ctx, now);
    } catch (error) {
      // A repeat answers 900 whatever the rules say now. Asked only when they refused: a redemption that passed
      // them learns it from its claim below, which then writes nothing.
      if (this.repeated(body, ctx, now)) throw new RedeemRefused("REPEATED_REQUEST");
      throw error;
    }
    const { member, code, day, result } = passed;
    try {
      // The first write: a repeat changes nothing here and is refused before anything is written.
      if (
        body.requestId !== undefined &&
        s.claimRequestId.run(ctx.tenantId, ctx.appId, body.requestId, now, now - REQUEST_ID_WINDOW_MS).changes === 0
      ) {
        throw new RedeemRefused("REPEATED_REQUEST");
      }
      const redemptionId = Number(
        s.insertRedemption.run(redemptionRow(code, member, ctx, body.requestId, day, now, result)).lastInsertRowid,
      );
      for (const [position, c] of result.coupons.entries())
        s.insertCoupon.run(redemptionId, position, member.id, c.templateId, c.validStartTime, c.validEndTime);
    } catch (error) {
      throw guarded || error instanceof RedeemRefused ? error : new PartialWrite(error);
    }
    return result;
  }

  /** Whether this requestId was accepted within its window (by an earlier group, or earlier in this one). */
  private repeated(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext, now: number): boolean {
    if (body.requestId === undefined) return false;
    const accepted = this.statements.requestIdAcceptedAt.get(ctx.tenantId, ctx.appId, body.requestId);
    return accepted !== undefined && accepted > now - REQUEST_ID_WINDOW_MS;
  }

  /** The rules after the requestId's, in the platform's order: reads only; throws RedeemRefused. */
  private rules(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext, now: number) {
    const s = this.statements;
    if (body.email.trim() === "") throw new RedeemRefused("MEMBER_EMAIL_REQUIRED");
    const member = this.members.get(`${ctx.tenantId}\0${body.email}`, () =>
      s.memberByEmail.get(ctx.tenantId, body.email),
    );
    if (member === undefined) throw new RedeemRefused("MEMBER_NOT_EXISTS");
    const code = this.codes.get(`${body.code}\0${ctx.tenantId}`, () => s.code.get(body.code, ctx.tenantId));
    const refused = codeRefusal(code, now);
    if (refused !== null || code === undefined) throw new RedeemRefused(refused ?? "REDEEM_CODE_NOT_EXISTS");
    const day = cstDay(now);
    const overLimit = usageRefusal(code, new StoredUsage(s, code.code, member.id, day, ctx.clientIp));
    if (overLimit !== null) throw new RedeemRefused(overLimit);
    const bound = this.templates.get(code.code, () => s.templates.all(code.code)) as BoundTemplate[];
    return { member, code, day, result: issueCoupons(code, member, bound, now) };
  }
}

/**
 * The counts the code's limits ask for, read from the redemptions table. A class rather than an object of arrows:
 * tsx's keepNames gives each named arrow a __name call (Object.defineProperty) every time it is created.
 */
class StoredUsage implements CodeUsage {
  constructor(
    private readonly s: SqliteRedeemer["statements"],
    private readonly code: string,
    private readonly memberId: number,
    private readonly day: string,
    private readonly clientIp: string,
  ) {}

  all(): number {
    return Number(this.s.countAll.get(this.code));
  }

  byMember(): number {
    return Number(this.s.countMember.get(this.code, this.memberId));
  }

  onDay(): number {
    return Number(this.s.countDay.get(this.code, this.day));
  }

  onDayFromIp(): number {
    return Number(this.s.countDayIp.get(this.code, this.day, this.clientIp));
  }
}

/** A write of a redemption failed outside a savepoint: its group is rolled back and run again with savepoints. */
class PartialWrite extends Error {
  constructor(readonly failure: unknown) {
    super("a redemption's write failed outside a savepoint");
  }
}
