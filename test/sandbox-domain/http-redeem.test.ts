// Redemption through the running sandbox, on each store engine: every rule's business code, concurrent duplicates,
// restart within the idempotency window, kill -9 under load, and the admin CLI configuring what the API then honours.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openStore } from "../../mock/sandbox/open-store.ts";
import type { Sql } from "../../mock/sandbox/sql.ts";
import { bin, loadBundledSpec, repoRoot, startSandbox } from "../helpers.ts";
import { type Answer, bearer, call, specChecker, token } from "../sandbox/sandbox-client.ts";
import { type Engine, engines, storeLocation } from "../sandbox/stores.ts";

const spec = loadBundledSpec();
const example = (name: string) => spec.components.examples[name].value;
const conforms = specChecker();
const REDEEM = "/open-api/promotion/redeem-code/redeem";
// Each test starts (and restarts or kills) real sandbox processes: room for a loaded 2-core machine.
const SLOW = 120_000;
const demo = { code: "E602F4DC626E4948", email: "member@example.com" };

const dir = mkdtempSync(join(tmpdir(), "sandbox-redeem-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;

/** A store of this engine named `name`, made on first use and the same on every later call (restarts share it). */
function namedStore(engine: Engine, name: string): () => Promise<string> {
  let location: Promise<string> | undefined;
  return () => {
    location ??= storeLocation(engine, join(dir, name));
    return location;
  };
}

async function session(dbPath: string): Promise<{ sandbox: Sandbox; redeem: (body: unknown) => Promise<Answer> }> {
  const sandbox = await startSandbox({ dbPath });
  const auth = bearer(await token(sandbox.baseUrl));
  const redeem = async (body: unknown) => {
    const answer = await call(sandbox.baseUrl, REDEEM, body, auth);
    expect(conforms(REDEEM, answer)).toBeUndefined();
    return answer;
  };
  return { sandbox, redeem };
}

/** Reads the sandbox's store the way an auditor would: a connection of its own to the same store. */
async function readStore<T>(dbPath: string, query: (sql: Sql) => Promise<T>): Promise<T> {
  const store = await openStore(dbPath);
  try {
    return await query(store.sql);
  } finally {
    await store.close();
  }
}

const count = async (sql: Sql, text: string, params: unknown[] = []): Promise<number> =>
  Number((await sql.get<{ n: number }>(text, params))?.n);

function admin(dbPath: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(bin("tsx"), [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), ...args], {
    env: { ...process.env, SANDBOX_DB: dbPath },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe.each(engines)("redemption over HTTP on %s", (engine) => {
  describe("rules through HTTP", () => {
    it(
      "answers the demo redemption and each rule's own business code, as the spec examples",
      async () => {
        const { sandbox, redeem } = await session(await storeLocation(engine));
        try {
          const ok = await redeem({ ...demo, requestId: "REQ-OK-1" });
          expect(ok.body).toMatchObject({
            code: 0,
            msg: "",
            data: { code: demo.code, email: demo.email, success: true },
          });
          const cases: [Record<string, string>, string][] = [
            [{ ...demo, email: "" }, "RedeemCouponCodeResponseEmailRequired"],
            [{ ...demo, email: "nobody@example.com" }, "RedeemCouponCodeResponseMemberNotFound"],
            [{ ...demo, code: "NO-SUCH-CODE" }, "RedeemCouponCodeResponseCodeNotFound"],
            [{ ...demo, code: "DEMO-NOT-STARTED" }, "RedeemCouponCodeResponseCodeNotStarted"],
            [{ ...demo, code: "DEMO-EXPIRED" }, "RedeemCouponCodeResponseCodeExpired"],
            [{ ...demo, code: "DEMO-VOIDED" }, "RedeemCouponCodeResponseCodeVoided"],
            [{ ...demo, requestId: "REQ-OK-1" }, "RedeemCouponCodeResponseDuplicateRequest"],
          ];
          for (const [body, name] of cases) expect((await redeem(body)).body, name).toEqual(example(name));

          expect((await redeem({ ...demo, code: "DEMO-ONCE-PER-MEMBER" })).body.code).toBe(0);
          expect((await redeem({ ...demo, code: "DEMO-ONCE-PER-MEMBER" })).body).toEqual(
            example("RedeemCouponCodeResponseMemberLimit"),
          );
          for (const email of ["member@example.com", "buyer@example.com"]) {
            expect((await redeem({ code: "DEMO-DAILY-2", email })).body.code).toBe(0);
          }
          expect((await redeem({ code: "DEMO-DAILY-2", email: "vip@example.com" })).body).toEqual(
            example("RedeemCouponCodeResponseDailyLimit"),
          );
          expect((await redeem({ code: "DEMO-IP-1", email: "member@example.com" })).body.code).toBe(0);
          expect((await redeem({ code: "DEMO-IP-1", email: "buyer@example.com" })).body).toEqual(
            example("RedeemCouponCodeResponseIpLimit"),
          );
          for (let i = 0; i < 3; i++) expect((await redeem({ ...demo, code: "DEMO-QUOTA-3" })).body.code).toBe(0);
          expect((await redeem({ ...demo, code: "DEMO-QUOTA-3" })).body).toEqual(
            example("RedeemCouponCodeResponseQuotaExhausted"),
          );
          const bundle = await redeem({ code: "DEMO-BUNDLE", email: "vip@example.com" });
          expect(bundle.body.data).toMatchObject({
            prize: "30% OFF, $5 OFF, 包邮券",
            message: "兑换成功,共获得 3 张优惠券",
          });
          expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
        } finally {
          await sandbox.stop();
        }
      },
      SLOW,
    );
  });

  describe("idempotency and durability of a stored redemption", () => {
    const store = namedStore(engine, "idempotency.db");

    it(
      "issues exactly one coupon for 50 concurrent redemptions with one requestId",
      async () => {
        const dbPath = await store();
        const { sandbox, redeem } = await session(dbPath);
        try {
          const answers = await Promise.all(
            Array.from({ length: 50 }, () => redeem({ ...demo, requestId: "REQ-CONCURRENT-1" })),
          );
          const codes = answers.map((a) => a.body.code);
          expect(codes.filter((c) => c === 0)).toHaveLength(1);
          expect(codes.filter((c) => c === 900)).toHaveLength(49);
          const stored = await readStore(dbPath, async (sql) => ({
            redemptions: await count(
              sql,
              "SELECT COUNT(*) AS n FROM redemptions WHERE request_id = 'REQ-CONCURRENT-1'",
            ),
            coupons: await count(
              sql,
              "SELECT COUNT(*) AS n FROM issued_coupons c JOIN redemptions r ON r.id = c.redemption_id WHERE r.request_id = 'REQ-CONCURRENT-1'",
            ),
          }));
          expect(stored).toEqual({ redemptions: 1, coupons: 1 });
          expect((await redeem({ ...demo, requestId: "REQ-RESTART-1" })).body.code).toBe(0);
        } finally {
          await sandbox.stop();
        }
      },
      SLOW,
    );

    it(
      "still answers a duplicate after a restart within the window",
      async () => {
        const { sandbox, redeem } = await session(await store());
        try {
          expect((await redeem({ ...demo, requestId: "REQ-RESTART-1" })).body).toEqual(
            example("RedeemCouponCodeResponseDuplicateRequest"),
          );
          expect((await redeem({ ...demo, requestId: "REQ-CONCURRENT-1" })).body.code).toBe(900);
          expect((await redeem({ ...demo, requestId: "REQ-RESTART-2" })).body.code).toBe(0);
        } finally {
          await sandbox.stop();
        }
      },
      SLOW,
    );

    it(
      "keeps every acknowledged redemption when killed with SIGKILL under load",
      async () => {
        const crashPath = await storeLocation(engine, join(dir, "crash.db"));
        const { sandbox, redeem } = await session(crashPath);
        const acknowledged: string[] = [];
        let killing: Promise<void> | undefined;
        // 16 clients redeem back to back; once 150 successes were answered the process group gets SIGKILL while
        // requests are still in flight. A client stops when its connection dies with the process.
        const client = async (w: number) => {
          for (let n = 0; ; n++) {
            const requestId = `CRASH-${w}-${n}`;
            let answer: Answer;
            try {
              answer = await redeem({ ...demo, requestId });
            } catch {
              return;
            }
            if (answer.body.code === 0) acknowledged.push(requestId);
            if (acknowledged.length >= 150 && killing === undefined) killing = sandbox.stop("SIGKILL");
          }
        };
        await Promise.all(Array.from({ length: 16 }, (_, w) => client(w)));
        await killing;
        expect(acknowledged.length).toBeGreaterThanOrEqual(150);

        const stored = await readStore(crashPath, async (sql) => {
          const missing: string[] = [];
          // A request ID that was never sent proves the check can see a missing redemption.
          for (const id of [...acknowledged, "CRASH-NEVER-SENT"]) {
            const found = await count(
              sql,
              "SELECT COUNT(*) AS n FROM redemptions r JOIN issued_coupons c ON c.redemption_id = r.id WHERE r.request_id = ?",
              [id],
            );
            if (found !== 1) missing.push(id);
          }
          return missing;
        });
        expect(stored, "acknowledged redemptions missing after kill -9").toEqual(["CRASH-NEVER-SENT"]);

        const after = await session(crashPath);
        try {
          for (const requestId of acknowledged.slice(0, 20)) {
            expect((await after.redeem({ ...demo, requestId })).body.code).toBe(900);
          }
        } finally {
          await after.sandbox.stop();
        }
      },
      SLOW,
    );
  });

  // Two processes on one SQLite file (two `npm start`s, a process manager's workers): each holds its requestId
  // claims in memory and reads the other's redemptions inside each group's transaction (sqlite-redemptions.ts).
  describe.runIf(engine === "sqlite")("two sandbox processes on one file", () => {
    it(
      "issue one coupon per requestId between them, concurrent duplicates and later repeats included",
      async () => {
        const dbPath = join(dir, "two-processes.db");
        const a = await session(dbPath);
        const b = await session(dbPath);
        try {
          const either = (i: number) => (i % 2 === 0 ? a : b).redeem;
          const same = await Promise.all(
            Array.from({ length: 40 }, (_, i) => either(i)({ ...demo, requestId: "TWO-SAME-1" })),
          );
          const codes = same.map((answer) => answer.body.code);
          expect(codes.filter((c) => c === 0)).toHaveLength(1);
          expect(codes.filter((c) => c === 900)).toHaveLength(39);
          // Distinct requestIds spread over both, then each repeated on the process that did not redeem it.
          const ids = Array.from({ length: 20 }, (_, i) => `TWO-${i}`);
          const first = await Promise.all(ids.map((id, i) => either(i)({ ...demo, requestId: id })));
          expect(first.map((answer) => answer.body.code)).toEqual(ids.map(() => 0));
          const repeats = await Promise.all(ids.map((id, i) => either(i + 1)({ ...demo, requestId: id })));
          expect(repeats.map((answer) => answer.body.code)).toEqual(ids.map(() => 900));
          const stored = await readStore(dbPath, (sql) =>
            count(sql, "SELECT COUNT(*) AS n FROM redemptions WHERE request_id LIKE 'TWO-%'"),
          );
          expect(stored).toBe(21);
        } finally {
          await Promise.all([a.sandbox.stop(), b.sandbox.stop()]);
        }
      },
      SLOW,
    );
  });

  describe("admin CLI on the sandbox's store", () => {
    it(
      "creates members and codes, voids codes and lists redemptions that the running API honours",
      async () => {
        const dbPath = await storeLocation(engine, join(dir, "admin.db"));
        const { sandbox, redeem } = await session(dbPath);
        try {
          expect(admin(dbPath, "create-member", "--tenant", "1", "--email", "cli@example.com").status).toBe(0);
          const created = admin(
            dbPath,
            "create-code",
            "--tenant",
            "1",
            "--code",
            "CLI-ONCE",
            "--template",
            "1001:1",
            "--template",
            "1002:1",
            "--per-member",
            "1",
          );
          expect(created.stdout).toContain("redeem code CLI-ONCE created in tenant 1");
          expect((await redeem({ code: "CLI-ONCE", email: "cli@example.com", requestId: "CLI-1" })).body.code).toBe(0);
          expect((await redeem({ code: "CLI-ONCE", email: "cli@example.com" })).body).toEqual(
            example("RedeemCouponCodeResponseMemberLimit"),
          );
          const listed = admin(dbPath, "list-redemptions", "--code", "CLI-ONCE");
          expect(listed.stdout).toContain("cli@example.com");
          expect(listed.stdout).toContain("CLI-1");
          expect(admin(dbPath, "void-code", "--code", "CLI-ONCE").status).toBe(0);
          expect((await redeem({ code: "CLI-ONCE", email: "member@example.com" })).body).toEqual(
            example("RedeemCouponCodeResponseCodeVoided"),
          );
          const bad = admin(dbPath, "create-code", "--tenant", "1", "--code", "CLI-BAD", "--template", "424242");
          expect(bad.status).toBe(1);
          expect(bad.stderr).toContain("coupon template 424242 does not exist");
          expect(admin(dbPath, "list-members").stdout).toContain("cli@example.com");
        } finally {
          await sandbox.stop();
        }
      },
      SLOW,
    );
  });
});
