// A hosted sandbox: two sandbox processes on one PostgreSQL database act as one platform. Every request of a test
// is spread over both (A, B, A, B, ...); what one instance or the admin CLI changes, the other honours at once.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenKey } from "../../mock/sandbox/credentials.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { bin, freePort, repoRoot, startSandbox } from "../helpers.ts";
import { postgresDatabase } from "../postgres.ts";
import { startPostgresCluster } from "../postgres-cluster.ts";
import { admin, createApp } from "./admin.ts";
import {
  type Answer,
  basic,
  bearer,
  call,
  demo,
  goodsQuery,
  specChecker,
  token,
  tokenRequest,
} from "./sandbox-client.ts";

type Sandbox = Awaited<ReturnType<typeof startSandbox>>;
const REDEEM = "/open-api/promotion/redeem-code/redeem";
const DETAIL = "/open-api/goods/detail";
const REVOKE = "/open-api/system/oauth2/token/revoke";
const conforms = specChecker();
const SLOW = 120_000;
const redemption = { code: "E602F4DC626E4948", email: "member@example.com" };

let url: string;
let a: Sandbox;
let b: Sandbox;
/** The test's own view of the database, as an auditor would read it. */
let store: StoreEngine;

beforeAll(async () => {
  url = await postgresDatabase();
  // Started together on an empty database: both migrate and seed it at once (one waits on the other's lock).
  const start = () => startSandbox({ dbPath: url, env: { SANDBOX_LOG_LEVEL: "warn" } });
  const [first, second] = await Promise.all([start(), start()]);
  a = first;
  b = second;
  store = await openStore(url);
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await store?.close();
  for (const sandbox of [a, b]) expect(sandbox?.output() ?? "").not.toContain("RESPONSE_CONTRACT_VIOLATION");
});

const instances = () => [a, b] as const;
const either = (i: number): Sandbox => instances()[i % 2] as Sandbox;
const count = async (text: string, params: unknown[] = []) =>
  Number((await store.sql.get<{ n: number }>(text, params))?.n);

async function redeemOn(sandbox: Sandbox, accessToken: string, body: object): Promise<Answer> {
  const answer = await call(sandbox.baseUrl, REDEEM, body, bearer(accessToken));
  expect(conforms(REDEEM, answer)).toBeUndefined();
  return answer;
}

describe("redemptions spread over two instances", () => {
  it(
    "issue exactly one coupon for 50 concurrent identical redemptions",
    async () => {
      const accessToken = await token(a.baseUrl);
      const body = { code: "E602F4DC626E4948", email: "member@example.com", requestId: "HOSTED-SAME-1" };
      const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => redeemOn(either(i), accessToken, body)));
      const codes = answers.map((answer) => answer.body.code);
      expect(codes.filter((code) => code === 0)).toHaveLength(1);
      expect(codes.filter((code) => code === 900)).toHaveLength(49);
      expect(await count("SELECT COUNT(*) AS n FROM redemptions WHERE request_id = 'HOSTED-SAME-1'")).toBe(1);
      expect(
        await count(
          "SELECT COUNT(*) AS n FROM issued_coupons c JOIN redemptions r ON r.id = c.redemption_id WHERE r.request_id = 'HOSTED-SAME-1'",
        ),
      ).toBe(1);
    },
    SLOW,
  );

  // Each code has one limit; 50 redemptions with distinct requestIds race for it over both instances.
  it.each([
    ["per member", "--per-member", 2, 1013020004],
    ["per CST day", "--daily", 3, 1013020005],
    ["per IP and day", "--per-ip", 4, 1013020006],
    ["quota", "--quota", 5, 1013020007],
  ] as const)(
    "never exceed the %s limit with 50 concurrent redemptions",
    async (name, option, limit, refusal) => {
      const code = `HOSTED-${option.slice(2).toUpperCase()}`;
      await admin(url, "create-code", "--tenant", "1", "--code", code, "--template", "1001", option, String(limit));
      const accessToken = await token(b.baseUrl);
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          redeemOn(either(i), accessToken, { code, email: "member@example.com", requestId: `${code}-${i}` }),
        ),
      );
      const codes = answers.map((answer) => answer.body.code);
      expect(
        codes.filter((c) => c === 0),
        `successes under the ${name} limit`,
      ).toHaveLength(limit);
      expect(codes.filter((c) => c === refusal)).toHaveLength(50 - limit);
      expect(await count("SELECT COUNT(*) AS n FROM redemptions WHERE code = ?", [code])).toBe(limit);
    },
    SLOW,
  );
});

describe("one QPS limit for an application, whichever instance serves it", () => {
  it(
    "answers at most N 200s per second over both instances (one window edge allowed), the rest 429",
    async () => {
      const N = 5;
      const app = await createApp(url, "goods:detail:read");
      await admin(url, "set-qps", app.clientId, String(N));
      const accessToken = await token(a.baseUrl, app);
      // 8 callers, 4 on each instance, back to back for 2.5 s. Each 200 is counted in the second its Date header
      // names (the server's clock when it answered).
      const perSecond = new Map<string, number>();
      const servedBy = new Set<string>();
      let refused = 0;
      const until = Date.now() + 2500;
      const caller = async (i: number) => {
        while (Date.now() < until) {
          const sandbox = either(i);
          const answer = await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken));
          expect(conforms(DETAIL, answer)).toBeUndefined();
          if (answer.status === 200) {
            const second = answer.headers.get("date") ?? "";
            perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
            servedBy.add(sandbox.baseUrl);
          } else {
            expect(answer.status).toBe(429);
            expect(answer.headers.get("retry-after")).toBe("1");
            refused += 1;
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, (_, i) => caller(i)));
      const counts = [...perSecond.values()];
      expect(refused, "the limit was reached").toBeGreaterThan(0);
      expect(servedBy.size, "both instances answered 200s").toBe(2);
      // Per-process windows would let each instance answer N per second: 2N in all. Shared, at most N; a request
      // judged at x.999 s and answered at (x+1).000 s is counted in the next second's header: one edge.
      expect(Math.max(...counts)).toBeLessThanOrEqual(N + 1);
      expect(counts.reduce((sum, n) => sum + n, 0)).toBeLessThanOrEqual(N * counts.length + 1);
    },
    SLOW,
  );
});

describe("security changes reach every instance at once", () => {
  it("both instances answer the balancer's health check", async () => {
    for (const sandbox of instances()) {
      const health = await fetch(`${sandbox.baseUrl}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: "ok", store: "postgres" });
    }
  });

  it("a token issued by one instance is accepted by the other", async () => {
    const accessToken = await token(a.baseUrl);
    expect((await call(b.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200);
  });

  it("a token revoked through one instance is refused by the other on the next request", async () => {
    const accessToken = await token(a.baseUrl);
    // B has seen (and cached) the token before it is revoked.
    expect((await call(b.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200);
    const revoked = await call(a.baseUrl, REVOKE, new URLSearchParams({ token: accessToken }).toString(), {
      authorization: basic(demo.clientId, demo.secret),
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(revoked.status).toBe(200);
    const refused = await call(b.baseUrl, DETAIL, goodsQuery, bearer(accessToken));
    expect(refused.status).toBe(401);
    expect(refused.body.msg).toMatch(/revoked/);
  });

  it("a secret reset by the admin CLI is refused by both instances at once, with every token issued before", async () => {
    const app = await createApp(url, "goods:detail:read");
    const accessToken = await token(a.baseUrl, app);
    for (const sandbox of instances()) {
      expect((await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200);
      expect((await tokenRequest(sandbox.baseUrl, app)).status).toBe(200); // the secret is verified and cached
    }
    await admin(url, "reset-secret", app.clientId);
    for (const sandbox of instances()) {
      expect((await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(401);
      expect((await tokenRequest(sandbox.baseUrl, app)).status).toBe(401);
    }
  });

  it("a scope withdrawn by the admin CLI is refused by both instances at once", async () => {
    const app = await createApp(url, "goods:detail:read,goods:qc:read");
    const accessToken = await token(b.baseUrl, app);
    for (const sandbox of instances()) {
      expect((await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200);
    }
    await admin(url, "grant-scopes", app.clientId, "goods:qc:read");
    for (const sandbox of instances()) {
      const refused = await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken));
      expect(refused.status).toBe(403);
    }
  });
});

describe("an instance killed under redemption load", () => {
  it(
    "loses no acknowledged redemption, duplicates none, and the other instance keeps serving",
    async () => {
      const victim = await startSandbox({ dbPath: url, env: { SANDBOX_LOG_LEVEL: "warn" } });
      const accessToken = await token(victim.baseUrl);
      const acknowledged: string[] = [];
      let killing: Promise<void> | undefined;
      let servedAfterKill = 0;
      // 16 callers, half on the victim and half on B. Once 150 redemptions were acknowledged, the victim gets
      // SIGKILL with requests in flight; its callers stop when their connection dies, B's go on for 40 more.
      const caller = async (i: number) => {
        const sandbox = i % 2 === 0 ? victim : b;
        for (let n = 0; ; n++) {
          const requestId = `KILL-${i}-${n}`;
          let answer: Answer;
          try {
            answer = await call(
              sandbox.baseUrl,
              REDEEM,
              { code: "E602F4DC626E4948", email: "member@example.com", requestId },
              bearer(accessToken),
            );
          } catch {
            return;
          }
          if (answer.body.code === 0) acknowledged.push(requestId);
          if (acknowledged.length >= 150 && killing === undefined) killing = victim.stop("SIGKILL");
          if (killing !== undefined && sandbox === b && answer.body.code === 0 && ++servedAfterKill >= 40) return;
        }
      };
      await Promise.all(Array.from({ length: 16 }, (_, i) => caller(i)));
      await killing;
      expect(servedAfterKill, "B served redemptions after A was killed").toBeGreaterThanOrEqual(40);
      const stored = new Map(
        (
          await store.sql.all<{ request_id: string; n: number }>(
            "SELECT request_id, COUNT(*) AS n FROM redemptions WHERE request_id LIKE 'KILL-%' GROUP BY request_id",
          )
        ).map((row) => [row.request_id, Number(row.n)]),
      );
      const missing = acknowledged.filter((id) => stored.get(id) !== 1);
      expect(missing, "acknowledged redemptions missing after kill -9").toEqual([]);
      expect(
        [...stored.values()].every((n) => n === 1),
        "no requestId redeemed twice",
      ).toBe(true);
      // B still answers, and remembers what the dead instance acknowledged.
      const replay = await call(
        b.baseUrl,
        REDEEM,
        { code: "E602F4DC626E4948", email: "member@example.com", requestId: acknowledged[0] },
        bearer(accessToken),
      );
      expect(replay.body.code).toBe(900);
    },
    SLOW,
  );
});

describe("an instance whose change feed is cut", () => {
  it(
    "serves no cached security decision while it is down: a revocation made meanwhile (even by psql) counts",
    async () => {
      const accessToken = await token(a.baseUrl);
      expect((await call(b.baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200); // cached on B
      const lost = (sandbox: Sandbox) => sandbox.output().split("change feed (LISTEN) was lost").length - 1;
      const before = lost(b);
      await store.sql.all(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'rizzit-sandbox-listen' AND datname = current_database()`,
      );
      await expect.poll(() => lost(b), { timeout: 10_000 }).toBeGreaterThan(before);
      // Behind the sandboxes' backs, while B cannot hear: an operator revokes the token with SQL.
      await store.sql.run("UPDATE tokens SET revoked_at = ? WHERE token_hash = ?", [Date.now(), tokenKey(accessToken)]);
      const refused = await call(b.baseUrl, DETAIL, goodsQuery, bearer(accessToken));
      expect(refused.status).toBe(401);
      expect(refused.body.msg).toMatch(/revoked/);
      await expect.poll(() => b.output(), { timeout: 10_000 }).toContain("change feed (LISTEN) is back");
      expect((await call(b.baseUrl, DETAIL, goodsQuery, bearer(await token(a.baseUrl)))).status).toBe(200);
    },
    SLOW,
  );
});

describe("a busy or unreachable database", () => {
  it(
    "a row lock held elsewhere answers a redemption with a retryable 429, while reads are served meanwhile",
    async () => {
      const accessToken = await token(a.baseUrl);
      const holder = new pg.Client({ connectionString: url });
      await holder.connect();
      try {
        // Another session (an operator's psql, a stuck job) holds the code's row for longer than SANDBOX's wait.
        await holder.query("BEGIN");
        await holder.query("SELECT * FROM redeem_codes WHERE code = 'DEMO-DAILY-2' FOR UPDATE");
        const [written, read] = await Promise.all([
          redeemOn(a, accessToken, { code: "DEMO-DAILY-2", email: "member@example.com", requestId: "LOCKED-1" }),
          call(a.baseUrl, DETAIL, goodsQuery, bearer(accessToken)),
        ]);
        expect(read.status).toBe(200);
        expect(written.status).toBe(429);
        expect(written.headers.get("retry-after")).toBe("1");
      } finally {
        await holder.query("ROLLBACK");
        await holder.end();
      }
      // The refused request left nothing behind: its requestId is free.
      expect(
        (await redeemOn(a, accessToken, { code: "DEMO-DAILY-2", email: "member@example.com", requestId: "LOCKED-1" }))
          .body.code,
      ).toBe(0);
    },
    SLOW,
  );

  it("an unreachable database stops the server and the admin CLI with one line, never showing the password", async () => {
    const port = await freePort();
    const location = `postgres://sandbox:hunter2@127.0.0.1:${port}/sandbox`;
    const env = { ...process.env, SANDBOX_DB: location, HOST: "127.0.0.1", PORT: "0" };
    for (const [script, args] of [
      ["main.ts", []],
      ["admin-cli.ts", ["list-apps"]],
    ] as const) {
      const result = spawnSync(bin("tsx"), [join(repoRoot, "mock", "sandbox", script), ...args], {
        env,
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(result.status).toBe(1);
      const lines = result.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`cannot use the store PostgreSQL 127.0.0.1:${port}/sandbox (ECONNREFUSED`);
      expect(lines[0]).toContain("start PostgreSQL or fix the host and port in SANDBOX_DB");
      expect(`${result.stdout}${result.stderr}`).not.toContain("hunter2");
    }
  });
});

describe("a database that goes away under a running instance", () => {
  it(
    "takes the instance out of the balancer (healthz 503) and answers in the envelope, without crashing",
    async () => {
      const cluster = await startPostgresCluster();
      let sandbox: Sandbox | undefined;
      try {
        sandbox = await startSandbox({ dbPath: await cluster.createDatabase(), env: { SANDBOX_LOG_LEVEL: "warn" } });
        const accessToken = await token(sandbox.baseUrl);
        expect((await fetch(`${sandbox.baseUrl}/healthz`)).status).toBe(200);
        await cluster.stop();
        const health = await fetch(`${sandbox.baseUrl}/healthz`);
        expect(health.status).toBe(503);
        expect(await health.json()).toEqual({ status: "store unreachable", store: "postgres" });
        // A decision needs the store (no cache may decide alone): a documented 500 in the envelope, not a hang.
        const answer = await call(sandbox.baseUrl, DETAIL, goodsQuery, bearer(accessToken));
        expect(answer.status).toBe(500);
        expect(conforms(DETAIL, answer)).toBeUndefined();
        expect(sandbox.child.exitCode).toBeNull();
      } finally {
        await sandbox?.stop();
        await cluster.stop();
      }
    },
    SLOW,
  );

  it(
    "comes back by itself when the database does: healthy again, its data served, its change feed listening",
    async () => {
      const cluster = await startPostgresCluster();
      let sandbox: Sandbox | undefined;
      try {
        const database = await cluster.createDatabase();
        sandbox = await startSandbox({ dbPath: database, env: { SANDBOX_LOG_LEVEL: "warn" } });
        const { baseUrl } = sandbox;
        const accessToken = await token(baseUrl);
        const redeemed = await redeemOn(sandbox, accessToken, { ...redemption, requestId: "RESTART-1" });
        expect(redeemed.body.code).toBe(0);
        // A restart of the database host (or a failover to the same address), down for a second.
        await cluster.restart(1_000);
        await expect.poll(async () => (await fetch(`${baseUrl}/healthz`)).status, { timeout: 20_000 }).toBe(200);
        // What was stored before is served: the token still works, the requestId is still a repeat.
        expect((await call(baseUrl, DETAIL, goodsQuery, bearer(accessToken))).status).toBe(200);
        expect((await redeemOn(sandbox, accessToken, { ...redemption, requestId: "RESTART-1" })).body.code).toBe(900);
        expect((await redeemOn(sandbox, accessToken, { ...redemption, requestId: "RESTART-2" })).body.code).toBe(0);
        // The change feed listens again: a revocation an operator makes with SQL is refused at once.
        await expect.poll(() => sandbox?.output() ?? "", { timeout: 20_000 }).toContain("change feed (LISTEN) is back");
        const operator = await openStore(database);
        try {
          await operator.sql.run("UPDATE tokens SET revoked_at = ? WHERE token_hash = ?", [
            Date.now(),
            tokenKey(accessToken),
          ]);
        } finally {
          await operator.close();
        }
        const refused = await call(baseUrl, DETAIL, goodsQuery, bearer(accessToken));
        expect(refused.status).toBe(401);
        expect(refused.body.msg).toMatch(/revoked/);
        expect(sandbox.child.exitCode).toBeNull();
        expect(sandbox.output()).not.toContain("RESPONSE_CONTRACT_VIOLATION");
      } finally {
        await sandbox?.stop();
        await cluster.stop();
      }
    },
    SLOW,
  );
});
