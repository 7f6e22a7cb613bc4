// The PostgreSQL redeemer: one transaction per redemption, on a connection of the pool, so that several instances
// (and several redemptions in one instance) run at once and the database decides what may pass.
//
// What holds across instances, and why:
// - A requestId is claimed by INSERT ... ON CONFLICT on its primary key: a concurrent duplicate waits on the
//   first one's row lock, then sees it committed (900) or rolled back (a business error: the duplicate proceeds).
// - The limits (quota, per member, per day, per IP and day) are counted after `SELECT ... FOR UPDATE` on the code's
//   row: redemptions of one code queue there, across every instance, and each one counts, under READ COMMITTED,
//   everything the ones before it committed. Redemptions of different codes do not wait for each other.
// - The answer is sent after COMMIT returned, with synchronous_commit on (PostgreSQL's default): the WAL is on
//   disk, so nothing acknowledged is lost when an instance is killed or the database host loses power.
// The rules are redemption.ts's, the same as SQLite's redeemer.
import type { Pool, PoolClient } from "pg";
import { cstDay } from "../domain/platform-time.ts";
import {
  type BoundTemplate,
  type CodeRow,
  codeRefusal,
  issueCoupons,
  REQUEST_ID_WINDOW_MS,
  RedeemRefused,
  type RedeemResult,
  redeemErrors,
  storedResult,
  usageRefusal,
} from "../domain/redemption.ts";
import type { RedeemContext } from "../domain-port.ts";
import type { RequestBody } from "../operation-types.ts";
import type { RedeemAnswer, Redeemer } from "../store-engine.ts";

const count = async (client: PoolClient, text: string, values: unknown[]): Promise<number> =>
  Number((await client.query<{ n: number }>(text, values)).rows[0]?.n ?? 0);

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
    if (body.requestId !== undefined) {
      const claimed = await client.query(
        `INSERT INTO redeem_request_ids (tenant_id, app_id, request_id, accepted_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, app_id, request_id) DO UPDATE SET accepted_at = excluded.accepted_at
           WHERE redeem_request_ids.accepted_at <= $5`,
        [ctx.tenantId, ctx.appId, body.requestId, now, now - REQUEST_ID_WINDOW_MS],
      );
      if (claimed.rowCount === 0) throw new RedeemRefused("REPEATED_REQUEST");
    }
    if (body.email.trim() === "") throw new RedeemRefused("MEMBER_EMAIL_REQUIRED");
    const member = (
      await client.query<{ id: number; email: string }>(
        "SELECT id, email FROM members WHERE tenant_id = $1 AND email = $2",
        [ctx.tenantId, body.email],
      )
    ).rows[0];
    if (member === undefined) throw new RedeemRefused("MEMBER_NOT_EXISTS");
    // FOR UPDATE: the redemptions of this code queue here, whichever instance serves them (see above).
    const code = (
      await client.query<CodeRow>("SELECT * FROM redeem_codes WHERE code = $1 AND tenant_id = $2 FOR UPDATE", [
        body.code,
        ctx.tenantId,
      ])
    ).rows[0];
    const refused = codeRefusal(code, now);
    if (refused !== null || code === undefined) throw new RedeemRefused(refused ?? "REDEEM_CODE_NOT_EXISTS");
    const day = cstDay(now);
    const overLimit = await usageRefusal(code, {
      all: () => count(client, "SELECT COUNT(*) AS n FROM redemptions WHERE code = $1", [code.code]),
      byMember: () =>
        count(client, "SELECT COUNT(*) AS n FROM redemptions WHERE code = $1 AND member_id = $2", [
          code.code,
          member.id,
        ]),
      onDay: () =>
        count(client, "SELECT COUNT(*) AS n FROM redemptions WHERE code = $1 AND cst_day = $2", [code.code, day]),
      onDayFromIp: () =>
        count(client, "SELECT COUNT(*) AS n FROM redemptions WHERE code = $1 AND cst_day = $2 AND client_ip = $3", [
          code.code,
          day,
          ctx.clientIp,
        ]),
    });
    if (overLimit !== null) throw new RedeemRefused(overLimit);
    const bound = (
      await client.query<BoundTemplate>(
        `SELECT t.*, ct.weight FROM redeem_code_templates ct JOIN coupon_templates t ON t.id = ct.template_id
         WHERE ct.code = $1 ORDER BY ct.position`,
        [code.code],
      )
    ).rows;
    const result = issueCoupons(code, member, bound, now);
    const inserted = await client.query<{ id: number }>(
      `INSERT INTO redemptions (code, member_id, email, client_ip, app_id, tenant_id, request_id, cst_day,
         redeemed_at, result) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [
        code.code,
        member.id,
        member.email,
        ctx.clientIp,
        ctx.appId,
        ctx.tenantId,
        body.requestId ?? null,
        day,
        now,
        storedResult(result),
      ],
    );
    const redemptionId = inserted.rows[0]?.id;
    for (const c of result.coupons) {
      await client.query(
        "INSERT INTO issued_coupons (redemption_id, member_id, template_id, valid_start, valid_end) VALUES ($1, $2, $3, $4, $5)",
        [redemptionId, member.id, c.templateId, c.validStartTime, c.validEndTime],
      );
    }
    return result;
  }
}
