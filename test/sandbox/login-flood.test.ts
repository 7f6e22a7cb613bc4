// Finding 3 of the hardening review: a flood of wrong client secrets must not starve other applications' logins.
// Each wrong Basic login costs a scrypt; the login guard (mock/sandbox/login-guard.ts) bounds that work, serves
// well-behaved clientIds first, and answers 429 + Retry-After when a lane is full or a clientId keeps failing.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { pause } from "./raw-http.ts";
import { type Answer, demo, reader, tokenRequest } from "./sandbox-client.ts";

let sandbox: Awaited<ReturnType<typeof startSandbox>>;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.stop();
});

describe("a flood of wrong secrets", () => {
  it("leaves another application's first login to be served before the flood's queued work", async () => {
    const finished: string[] = [];
    const track = (name: string, answer: Promise<Answer>) =>
      answer.then((settled) => {
        finished.push(name);
        return settled;
      });
    // 150 wrong secrets (all different: no cache can answer them) for one app, 50 for unknown clientIds.
    const flood = [
      ...Array.from({ length: 150 }, () => ({ ...demo, secret: randomBytes(12).toString("hex") })),
      ...Array.from({ length: 50 }, () => ({ ...demo, clientId: `ghost-${randomBytes(6).toString("hex")}` })),
    ].map((credentials) => track("flood", tokenRequest(sandbox.baseUrl, credentials)));
    await pause(100);
    const firstLogin = await track("reader", tokenRequest(sandbox.baseUrl, reader));
    const answers = await Promise.all(flood);

    expect(firstLogin.status).toBe(200);
    // The reader's login did not wait behind the flood: flood answers were still pending when it was answered.
    expect(finished.length - finished.indexOf("reader") - 1).toBeGreaterThanOrEqual(4);
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([401, 429]));
    const refused = answers.find((a) => a.status === 429) as Answer;
    expect(refused.headers.get("retry-after")).toMatch(/^[1-9][0-9]*$/);
    expect(refused.body).toMatchObject({ code: 429, data: null });
    expect(refused.body.msg).toMatch(/retry after [0-9]+ s$/);
    const failed = answers.find((a) => a.status === 401) as Answer;
    expect(failed.body.msg).toBe("client authentication failed: check clientId and clientSecret");
    // The access log names the attempted clientId and the caller's IP on refused logins, never a secret.
    await pause(50);
    const lines = sandbox.output().split("\n");
    const refusedLine = lines.find(
      (line) => line.includes('"status":401') && line.includes('"clientId":"sandbox-demo"'),
    );
    expect(refusedLine).toContain('"ip":"127.0.0.1"');
  });

  it("throttles a clientId that keeps failing, except for credentials already verified", async () => {
    const failUntilThrottled = async (clientId: string) => {
      for (let i = 0; i < 40; i++) {
        const answer = await tokenRequest(sandbox.baseUrl, { ...demo, clientId, secret: `wrong-${i}` });
        if (answer.status === 429) return answer;
        expect(answer.status).toBe(401);
      }
      throw new Error(`${clientId} was never throttled`);
    };
    const throttled = await failUntilThrottled(demo.clientId);
    expect(throttled.body.msg).toMatch(/^too many failed logins for this clientId or from this IP/);
    expect(Number(throttled.headers.get("retry-after"))).toBeGreaterThan(0);
    // The right secret, never verified in this process: it waits out the window like any other attempt.
    expect((await tokenRequest(sandbox.baseUrl, demo)).status).toBe(429);
    // The reader logged in above: its verified credentials still pass while wrong ones are throttled.
    await failUntilThrottled(reader.clientId);
    expect((await tokenRequest(sandbox.baseUrl, reader)).status).toBe(200);
  });
});
