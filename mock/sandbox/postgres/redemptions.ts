// The PostgreSQL redeemer: one transaction per redemption, on a connection of the pool, so that several instances
// (and several redemptions in one instance) run at once and the database decides what may pass.
//
// What holds across instances, and why:
// - A requestId is claimed by INSERT ... ON CONFLICT on its primary key: a concurrent duplicate waits on the
//   first one's row lock, then sees it committed (900) or rolled back (a business error: the duplicate proceeds).
// - The limits (quota, per member, per day, per IP and day) are counted after `SELECT ... FOR UPDATE` on the code's
//   row: redemptions of one code queue there, across every instance, and each one counts, under READ COMMITTED,
//   everything the ones before it committed. A code without limits is not locked (nothing is counted, so nothing
//   can be exceeded): its redemptions run side by side. Redemptions of different codes never wait for each other.
// - Four round trips for a code without limits (BEGIN, the claim with the facts in one statement, the redemption
//   with its coupons in one statement, COMMIT), six with limits (lock, counts): the fewer, the shorter a lock is
//   held. Every statement is prepared once per connection (sql.ts `prepared`).
// - The answer is sent after COMMIT returned, with synchronous_commit on (PostgreSQL's default): the WAL is on
//   disk, so nothing acknowledged is lost when an instance is killed or the database host loses power.
// The rules are redemption.ts's, the same as SQLite's redeemer.
import type { Pool, PoolClient } from "pg";
import { cstDay } from "../domain/platform-time.ts";
import {
  type BoundTemplate,
  type CodeRow,
  codeRefusal,
  hasLimit,
  issueCoupons,
  REDEMPTION_COLUMNS,
  REQUEST_ID_WINDOW_MS,
  RedeemRefused,
  type RedeemResult,
  redeemErrors,
  redemptionRow,
  usageRefusal,
} from "../domain/redemption.ts";
import type { RedeemContext } from "../domain-port.ts";
import type { RequestBody } from "../operation-types.ts";
import { prepared } from "../sql.ts";
import type { RedeemAnswer, Redeemer } from "../store-engine.ts";

export class PostgresRedeemer implements Redeemer {
  constructor(private readonly pool: Pool) {}

  async redeem(body: RequestBody<"redeemCouponCode">, ctx: RedeemContext): Promise<RedeemAnswer> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const data = await this.redeemInTransaction(client, body, ctx);
      await client.query("COMMIT");
      return { ok: true, data };
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      if (error instanceof RedeemRefused) return { ok: false, ...redeemErrors[error.key] };
      throw error;
    } finally {
      client.release();
    }
  }

  private async redeemInTransaction(
    client: PoolClient,
    body: RequestBody<"redeemCouponCode">,
    ctx: RedeemContext,
  ): Promise<RedeemResult> {
    const now = ctx.now.getTime();
    // The requestId's claim, and the member, the code and its templates, in one round trip. The claim waits on a
    // concurrent duplicate's row lock; a business error below rolls it back with the transaction.
    const facts = (
      await client.query<{
        claimed: string;
        member: { id: number; email: string } | null;
        code: CodeRow | null;
        templates: BoundTemplate[] | null;
      }>(
        prepared(
          `WITH claim AS (
             INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at)
               SELECT $1, $4, $5::text, $6::bigint WHERE $5::text IS NOT NULL
             ON CONFLICT (tenant_id, app_id, request_id) DO UPDATE SET accepted_at = excluded.accepted_at
               WHERE redeem_request_ids.accepted_at <= $7::bigint
             RETURNING 1)
           SELECT
             (SELECT COUNT(*) FROM claim) AS claimed,
             (SELECT json_build_object('id', m.id, 'email', m.email) FROM members m
               WHERE m.tenant_id = $1 AND m.email = $2) AS member,
             (SELECT row_to_json(c) FROM redeem_codes c WHERE c.code = $3 AND c.tenant_id = $1) AS code,
             (SELECT jsonb_agg(to_jsonb(t) || jsonb_build_object('weight', ct.weight) ORDER BY ct.position)
               FROM redeem_code_templates ct JOIN coupon_templates t ON t.id = ct.template_id WHERE ct.code = $3) AS templates`,
          [ctx.tenantId, body.email, body.code, ctx.appId, body.requestId ?? null, now, now - REQUEST_ID_WINDOW_MS],
        ),
      )
    ).rows[0];
    // A repeat answers 900 whatever the rules say now.
    if (body.requestId !== undefined && Number(facts?.claimed) === 0) throw new RedeemRefused("REPEATED_REQUEST");
    if (body.email.trim() === "") throw new RedeemRefused("MEMBER_EMAIL_REQUIRED");
    const member = facts?.member ?? undefined;
    if (member === undefined) throw new RedeemRefused("MEMBER_NOT_EXISTS");
    let code = facts?.code ?? undefined;
    const refused = codeRefusal(code, now);
    if (refused !== null || code === undefined) throw new RedeemRefused(refused ?? "REDEEM_CODE_NOT_EXISTS");
    const day = cstDay(now);
    if (hasLimit(code)) code = await this.lockAndCount(client, code, member.id, day, ctx.clientIp, now);
    const result = issueCoupons(code, member, facts?.templates ?? [], now);
    // The redemption and its coupons in one statement.
    await client.query(
      prepared(
        `WITH r AS (
           INSERT INTO redemptions (${REDEMPTION_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id)
         INSERT INTO issued_coupons (redemption_id, position, member_id, template_id, valid_start, valid_end)
         SELECT r.id, c.n - 1, $2, c.template_id, c.valid_start, c.valid_end
         FROM r, unnest($12::bigint[], $13::text[], $14::text[]) WITH ORDINALITY AS c(template_id, valid_start, valid_end, n)`,
        [
          ...redemptionRow(code, member, ctx, body.requestId, day, now, result),
          result.coupons.map((c) => c.templateId),
          result.coupons.map((c) => c.validStartTime),
          result.coupons.map((c) => c.validEndTime),
        ],
      ),
    );
    return result;
  }

  /**
   * A code with a limit: its row is locked (FOR UPDATE), so the redemptions of this code queue here, whichever
   * instance serves them; then it is read again as it is now and its use counted, in a statement that starts after
   * the lock was granted (READ COMMITTED: it sees every redemption committed before). Throws the refusal.
   */
  private async lockAndCount(
    client: PoolClient,
    code: CodeRow,
    memberId: number,
    day: string,
    clientIp: string,
    now: number,
  ): Promise<CodeRow> {
    const locked = (
      await client.query<CodeRow>(prepared("SELECT * FROM redeem_codes WHERE code = $1 FOR UPDATE", [code.code]))
    ).rows[0];
    const refused = codeRefusal(locked, now);
    if (refused !== null || locked === undefined) throw new RedeemRefused(refused ?? "REDEEM_CODE_NOT_EXISTS");
    const used = (
      await client.query<{ all: number; by_member: number; on_day: number; on_day_from_ip: number }>(
        prepared(
          `SELECT COUNT(*) AS all,
             COUNT(*) FILTER (WHERE member_id = $2) AS by_member,
             COUNT(*) FILTER (WHERE cst_day = $3) AS on_day,
             COUNT(*) FILTER (WHERE cst_day = $3 AND client_ip = $4) AS on_day_from_ip
           FROM redemptions WHERE code = $1 AND limited = 1`,
          [code.code, memberId, day, clientIp],
        ),
      )
    ).rows[0];
    const overLimit = usageRefusal(locked, {
      all: () => Number(used?.all),
      byMember: () => Number(used?.by_member),
      onDay: () => Number(used?.on_day),
      onDayFromIp: () => Number(used?.on_day_from_ip),
    });
    if (overLimit !== null) throw new RedeemRefused(overLimit);
    return locked;
  }
}
