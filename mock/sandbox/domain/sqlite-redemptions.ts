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
// each reads and checks every rule first and writes (redemption, coupons, requestId claim) only once all passed, so
// a business error leaves nothing behind; a repeated requestId in the same group meets the earlier claim, as across
// groups.
// No savepoint per redemption, then (SAVEPOINT/RELEASE and their statement journal cost ~4 µs a redemption): only
// a write that fails halfway would leave a partial redemption, and then the whole group, not yet answered, is
// rolled back and run again with a savepoint each, where that failure stays its own. The rules are
// redemption.ts's; this file only reads and writes.
//
// RequestId claims are held in memory (recent-claims.ts), not in a table: the SDK's requestIds are random UUIDs,
// and a b-tree keyed by them takes each claim on a leaf of its own, so every redemption of a group dirtied a page
// of its own in the WAL (~45 -> ~33 µs of CPU per redemption over HTTP without them). The store keeps them all
// the same: each redemption row has its tenant, app, requestId and time, and the claims are read back from those
// rows, walking the redemptions by id (their primary key): at start, from the last row older than the window
// (found by bisection; ~1.4 s for a million claims); at each group, inside its transaction (after the write lock
// was taken), the rows written since by anyone else (another process on the file, the admin CLI, another
// redeemer). A claim is thus known to every group that could repeat it, across processes and restarts, and
// nothing acknowledged is lost with the memory. Beyond the memory's capacity a claim goes to the
// redeem_request_ids table as before (and a claim found nowhere in memory is looked up there while that table
// holds any).
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
import { ClaimFingerprint, RecentClaims } from "./recent-claims.ts";
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

/**
 * The claims held in memory at most (~70 MB of typed arrays): 10 minutes of ~1,700 redemptions a second with
 * requestIds. Beyond, claims are kept in the redeem_request_ids table, at the cost they had before.
 */
const CLAIMS_CAPACITY = 1_000_000;
/**
 * How far before the window the claims read back at start begin: redemption ids are in commit order, their times
 * are each request's arrival, and a clock may step back.
 */
const CLOCK_SLACK_MS = 60_000;

/** Redemption rows read per query when catching up. */
const CATCH_UP_PAGE = 1000;

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
  private readonly claims;
  private readonly fingerprint = new ClaimFingerprint();
  /** The last redemption whose claim is known (-1: none read yet); `seenInGroup` is it within a running group. */
  private lastSeen = -1;
  private seenInGroup = -1;
  /** Whether the redeem_request_ids table may hold claims (beyond the memory's capacity, or of earlier versions). */
  private tableHasClaims = true;

  constructor(
    db: Database.Database,
    private readonly sql: SqliteSql,
    private readonly limits: { gatherMs: number; groupMax: number; claimsCapacity?: number } = {
      gatherMs: GATHER_MS,
      groupMax: GROUP_MAX,
    },
  ) {
    this.claims = new RecentClaims(limits.claimsCapacity ?? CLAIMS_CAPACITY);
    this.durable = new DurableCommit(db);
    this.dataVersion = db.prepare<[], number>("PRAGMA data_version").pluck();
    // Nested in `group`, a better-sqlite3 transaction is a SAVEPOINT: a failure rolls back this redemption only.
    this.one = db.transaction((body: RequestBody<"redeemCouponCode">, ctx: RedeemContext) =>
      this.redeemInTransaction(body, ctx),
    );
    this.group = db.transaction((batch: Pending[], guarded: boolean): Outcome[] => {
      this.claims.discard(); // what an earlier run of this group staged was rolled back with it
      const othersWrote = this.dropStaleFacts();
      this.catchUp((batch[0] as Pending).ctx.now.getTime(), othersWrote);
      return batch.map((item) => (guarded ? this.settle(item) : this.settleFast(item)));
    });
    this.statements = {
      // The claims' reads of redemptions (catchUp): where the window starts, and forward from the last one known.
      newest: db.prepare<[], { id: number; redeemed_at: number }>(
        "SELECT id, redeemed_at FROM redemptions ORDER BY id DESC LIMIT 1",
      ),
      firstFrom: db.prepare<[number], { id: number; redeemed_at: number }>(
        "SELECT id, redeemed_at FROM redemptions WHERE id >= ? ORDER BY id LIMIT 1",
      ),
      redemptionsAfter: db.prepare<[number, number], ClaimRow>(
        "SELECT id, tenant_id, app_id, request_id, redeemed_at FROM redemptions WHERE id > ? ORDER BY id LIMIT ?",
      ),
      redemptionById: db.prepare<[number], Omit<ClaimRow, "id" | "redeemed_at">>(
        "SELECT tenant_id, app_id, request_id FROM redemptions WHERE id = ?",
      ),
      anyTableClaim: db.prepare<[], number>("SELECT EXISTS (SELECT 1 FROM redeem_request_ids)").pluck(),
      // When a requestId claimed in the table was accepted (claims beyond the memory's capacity).
      requestIdAcceptedAt: db
        .prepare<[string, string, string], number>(
          "SELECT accepted_at FROM redeem_request_ids WHERE tenant_id = ? AND app_id = ? AND request_id = ?",
        )
        .pluck(),
      // Claims the requestId in the table: a new one is inserted, one older than its window is taken over (the
      // running purge drops the rest, retention.ts), one inside its window is left alone (already claimed).
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
    // The window's claims are read now, at start, so that the first redemption does not wait for them (a million
    // take ~1.4 s). A failure here (another process holding the write lock) leaves them to the first group.
    try {
      db.transaction(() => {
        this.dropStaleFacts();
        this.catchUp(Date.now(), true);
      }).immediate();
      this.committed();
    } catch {
      this.claims.discard();
    }
  }

  /**
   * Empties the caches when anything but a redemption wrote since the last group (runs inside the transaction).
   * Whether anything did is returned.
   */
  private dropStaleFacts(): boolean {
    const version = this.dataVersion.get() as number;
    const localWrites = this.sql.local.writes;
    if (version === this.seen.version && localWrites === this.seen.localWrites) return false;
    this.members.clear();
    this.codes.clear();
    this.templates.clear();
    this.seen = { version, localWrites };
    return true;
  }

  /**
   * Brings the claims up to the store, inside the group's transaction: drops those past their window, and stages
   * the requestIds of the redemptions written since the last one known (all of the window's the first time).
   * The walk is one seek on the redemptions' primary key when nobody else wrote.
   */
  private catchUp(now: number, othersWrote: boolean): void {
    const s = this.statements;
    this.claims.expire(now - REQUEST_ID_WINDOW_MS);
    if (othersWrote) this.tableHasClaims = s.anyTableClaim.get() === 1;
    let seen = this.lastSeen < 0 ? this.windowStart() : this.lastSeen;
    // Ids are reused only once the newest redemptions were deleted: walk on from the newest left.
    if (othersWrote) seen = Math.min(seen, s.newest.get()?.id ?? 0);
    // In pages: a claim beyond the memory's capacity is written to the table, which no open read may span.
    for (let page = s.redemptionsAfter.all(seen, CATCH_UP_PAGE); page.length > 0; ) {
      for (const row of page) {
        if (row.request_id !== null) this.claim(row.tenant_id, row.app_id, row.request_id, row.redeemed_at, row.id);
        seen = row.id;
      }
      page = page.length < CATCH_UP_PAGE ? [] : s.redemptionsAfter.all(seen, CATCH_UP_PAGE);
    }
    this.seenInGroup = seen;
  }

  /**
   * The id of the last redemption made before the window (0: none), by bisection over ids: they are in commit
   * order, and the times nearly so (CLOCK_SLACK_MS covers the rest). ~20 primary-key seeks for a million rows.
   */
  private windowStart(): number {
    const s = this.statements;
    const newest = s.newest.get();
    if (newest === undefined) return 0;
    const before = Math.min(newest.redeemed_at, Date.now()) - REQUEST_ID_WINDOW_MS - CLOCK_SLACK_MS;
    let low = 0; // every row up to `low` was made before
    let high = newest.id; // every row after `high` was made after
    while (low < high) {
      const mid = Math.floor((low + high + 1) / 2);
      const row = s.firstFrom.get(mid) as { id: number; redeemed_at: number }; // mid <= newest.id: one exists
      if (row.redeemed_at <= before) low = Math.min(row.id, high);
      else high = mid - 1;
    }
    return low;
  }

  /**
   * Keeps a claim: in memory, or in the table when memory has no room for it (or its fingerprint's slot holds
   * another requestId's claim inside its window).
   */
  private claim(
    tenantId: string,
    appId: string,
    requestId: string,
    acceptedAt: number,
    redemption: number,
    fp = this.fingerprint.of(tenantId, appId, requestId),
  ): void {
    const held = this.claims.acceptedAt(fp);
    const live = held !== undefined && held > acceptedAt - REQUEST_ID_WINDOW_MS;
    if (live && this.claims.redemptionOf(fp) === redemption) return; // read back a second time: known already
    if (!live && this.claims.stage(fp, acceptedAt, redemption, held)) return;
    this.statements.claimRequestId.run(tenantId, appId, requestId, acceptedAt, acceptedAt - REQUEST_ID_WINDOW_MS);
    this.tableHasClaims = true;
  }

  /** The group committed: its claims, and the redemptions they were read from, are known from now on. */
  private committed(): void {
    this.claims.commit();
    this.lastSeen = this.seenInGroup;
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
          let settled: Outcome[];
          try {
            settled = this.group.immediate(batch, false);
          } catch (error) {
            if (!(error instanceof PartialWrite)) throw error;
            // Rolled back: nothing of the group stays. Again, each redemption in a savepoint of its own.
            settled = this.group.immediate(batch, true);
          }
          this.committed();
          return settled;
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
      this.claims.discard();
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
    const { requestId } = body;
    // Computed once for both uses below (the rules between them never compute another).
    const fp = requestId === undefined ? undefined : this.fingerprint.of(ctx.tenantId, ctx.appId, requestId);
    // A repeat answers 900 whatever the rules say now.
    if (requestId !== undefined && this.repeated(fp as ClaimFingerprint, ctx, requestId, now))
      throw new RedeemRefused("REPEATED_REQUEST");
    const { member, code, day, result } = this.rules(body, ctx, now);
    let redemptionId: number;
    try {
      redemptionId = Number(
        s.insertRedemption.run(redemptionRow(code, member, ctx, body.requestId, day, now, result)).lastInsertRowid,
      );
      for (const [position, c] of result.coupons.entries())
        s.insertCoupon.run(redemptionId, position, member.id, c.templateId, c.validStartTime, c.validEndTime);
      // The claim last: a write that fails above leaves none (staged claims are applied once the group commits).
      if (requestId !== undefined) this.claim(ctx.tenantId, ctx.appId, requestId, now, redemptionId, fp);
    } catch (error) {
      throw guarded ? error : new PartialWrite(error);
    }
    this.seenInGroup = redemptionId;
    return result;
  }

  /**
   * Whether this requestId was accepted within its window (by an earlier group, or earlier in this one). A claim
   * memory finds is confirmed against the redemption it names (a fingerprint is shared by two requestIds once in
   * ~2^64); only a repeat, or such a coincidence, costs that read.
   */
  private repeated(fp: ClaimFingerprint, ctx: RedeemContext, requestId: string, now: number): boolean {
    const s = this.statements;
    const after = now - REQUEST_ID_WINDOW_MS;
    const held = this.claims.acceptedAt(fp);
    if (held !== undefined && held > after) {
      const row = s.redemptionById.get(this.claims.redemptionOf(fp));
      if (row?.tenant_id === ctx.tenantId && row.app_id === ctx.appId && row.request_id === requestId) return true;
    }
    if (!this.tableHasClaims) return false;
    const accepted = s.requestIdAcceptedAt.get(ctx.tenantId, ctx.appId, requestId);
    return accepted !== undefined && accepted > after;
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

/** A redemption row as the claims' walk reads it. */
interface ClaimRow {
  id: number;
  tenant_id: string;
  app_id: string;
  request_id: string | null;
  redeemed_at: number;
}

/** A write of a redemption failed outside a savepoint: its group is rolled back and run again with savepoints. */
class PartialWrite extends Error {
  constructor(readonly failure: unknown) {
    super("a redemption's write failed outside a savepoint");
  }
}
