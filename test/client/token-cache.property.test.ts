// Property test of the token handling under random interleavings: bursts of concurrent calls, clock jumps and
// tokens revoked behind the SDK's back, against a scripted server that accepts only its latest unexpired token.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createOpenApiClient } from "../../client/index.ts";
import { GOODS, ok, protocolError, TOKEN_PATH, tokenAnswer } from "./scripted-fetch.ts";

type Step = { kind: "burst"; calls: number } | { kind: "advance"; seconds: number } | { kind: "revoke" };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant("burst" as const), calls: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant("advance" as const), seconds: fc.integer({ min: 0, max: 2000 }) }),
  fc.record({ kind: fc.constant("revoke" as const) }),
);

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("token cache under random interleavings", () => {
  it("never runs two token requests at once, never fails a call, and fetches a token only when needed", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 120 }),
        async (steps, buffer) => {
          let clock = 0;
          let latest = { token: "", expiresAt: 0 };
          let issued = 0;
          let tokenRequestsInFlight = 0;
          let maxTokenRequestsInFlight = 0;
          const client = createOpenApiClient({
            baseUrl: "https://api-qa.rizzitbuy.com",
            clientId: "partner-app",
            clientSecret: "s3cret-value",
            tenantId: "1",
            refreshBufferSeconds: buffer,
            hooks: { now: () => clock, sleep: async () => undefined },
            fetch: async (request) => {
              if (new URL(request.url).pathname === TOKEN_PATH) {
                tokenRequestsInFlight++;
                maxTokenRequestsInFlight = Math.max(maxTokenRequestsInFlight, tokenRequestsInFlight);
                await tick();
                tokenRequestsInFlight--;
                issued++;
                latest = { token: `token-${issued}`, expiresAt: clock + 1800_000 };
                return tokenAnswer(latest.token, 1800);
              }
              await tick();
              const valid =
                request.headers.get("authorization") === `Bearer ${latest.token}` && clock < latest.expiresAt;
              return valid ? ok(GOODS) : protocolError(401, "Token is invalid");
            },
          });

          let needsToken = 1; // the cold cache
          for (const s of steps) {
            if (s.kind === "advance") {
              clock += s.seconds * 1000;
              needsToken++;
            } else if (s.kind === "revoke") {
              latest = { token: "revoked", expiresAt: 0 };
              needsToken++;
            } else {
              const results = await Promise.all(
                Array.from({ length: s.calls }, () => client.getGoodsDetail({ goodsId: "123456", source: 1 })),
              );
              expect(results.every((r) => r.goodsId === "123456")).toBe(true);
            }
          }
          expect(maxTokenRequestsInFlight).toBeLessThanOrEqual(1);
          // At most one token per event that can make one necessary (cold start, clock jump, revocation).
          expect(issued).toBeLessThanOrEqual(needsToken);
        },
      ),
      { numRuns: 150, seed: 20261122 },
    );
  });
});
