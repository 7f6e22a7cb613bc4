// Cancelling calls: a per-call AbortSignal cancels that call (its token wait, its request, its retries) and nothing
// else, so a token request shared with other callers goes on; close() cancels every call in flight. On the scripted
// network: answers are held until the test releases them, as a slow platform would.
import { describe, expect, it } from "vitest";
import { GOODS, harness, heldAnswer, ok, protocolError, REVOKE_PATH, tokenAnswer } from "./scripted-fetch.ts";

const detail = { goodsId: "123456", source: 1 } as const;

/** Lets the SDK run until it waits on the network again. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe("per-call AbortSignal", () => {
  it("an abort while the shared token request is in flight fails that call only; the token request goes on", async () => {
    let releaseToken: (response: Response) => void = () => undefined;
    const h = harness(() => ok(GOODS), {
      tokenScript: (request) => {
        const held = heldAnswer(request);
        releaseToken = held.release;
        return held.answer;
      },
    });
    const controller = new AbortController();
    const aborted = h.client.getGoodsDetail(detail, { signal: controller.signal });
    const other = h.client.getGoodsDetail(detail);
    await settle();
    expect(h.tokenRequests()).toHaveLength(1);
    controller.abort(new Error("the user navigated away"));
    await expect(aborted).rejects.toThrow("the user navigated away");
    // The token request was not cancelled: releasing it completes the other caller's call.
    expect(h.tokenRequests()[0]?.signal.aborted).toBe(false);
    releaseToken(tokenAnswer("token-1"));
    await expect(other).resolves.toMatchObject({ goodsId: "123456" });
    expect(h.tokenRequests()).toHaveLength(1);
    expect(h.businessRequests()).toHaveLength(1);
  });

  it("an abort during the request cancels the request itself and makes no retry", async () => {
    const h = harness((request) => heldAnswer(request).answer);
    const controller = new AbortController();
    const call = h.client.getGoodsDetail(detail, { signal: controller.signal });
    await settle();
    expect(h.businessRequests()).toHaveLength(1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(h.businessRequests()[0]?.signal.aborted).toBe(true);
    expect(h.businessRequests()).toHaveLength(1);
    expect(h.sleeps).toEqual([]);
  });

  it("an already aborted signal sends nothing", async () => {
    const h = harness(() => ok(GOODS));
    await expect(h.client.getGoodsDetail(detail, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(h.businessRequests()).toHaveLength(0);
  });

  it("an abort between retries stops the backoff: no further attempt", async () => {
    const controller = new AbortController();
    const h = harness(() => protocolError(503, "busy"), {
      hooks: {
        sleep: (_ms, signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener("abort", () => reject(signal.reason), { once: true });
            controller.abort(new Error("stop"));
          }),
      },
    });
    await expect(h.client.getGoodsDetail(detail, { signal: controller.signal })).rejects.toThrow("stop");
    expect(h.businessRequests()).toHaveLength(1);
  });
});

describe("close()", () => {
  it("cancels every call in flight, then revokes the token and refuses new calls", async () => {
    const h = harness((request) => (request.path === REVOKE_PATH ? ok(true) : heldAnswer(request).answer));
    // A first call gets a token (answered at once), then two calls hang on the platform.
    const held = h.client.getGoodsDetail(detail);
    const alsoHeld = h.client.pageGoodsQc({ pageNo: 1, pageSize: 10 });
    await settle();
    expect(h.businessRequests()).toHaveLength(2);
    // Handlers first: the calls fail while close() runs.
    const failed = [
      expect(held).rejects.toThrow(/client was closed/),
      expect(alsoHeld).rejects.toMatchObject({ name: "AbortError" }),
    ];
    await h.client.close();
    await Promise.all(failed);
    expect(h.businessRequests().every((r) => r.signal.aborted)).toBe(true);
    // The revocation is sent after the abort, and is not cancelled by it.
    const revoke = h.requests.find((r) => r.path === REVOKE_PATH);
    expect(new URLSearchParams(revoke?.body).get("token")).toBe("token-1");
    expect(revoke?.signal.aborted).toBe(false);
    await expect(h.client.getGoodsDetail(detail)).rejects.toThrow(/client was closed/);
  });

  it("cancels a token request in flight too (nobody is left to use it)", async () => {
    const h = harness(() => ok(GOODS), { tokenScript: (request) => heldAnswer(request).answer });
    const call = h.client.getGoodsDetail(detail);
    await settle();
    const failed = expect(call).rejects.toThrow(/client was closed/);
    await h.client.close();
    await failed;
    expect(h.tokenRequests()[0]?.signal.aborted).toBe(true);
    expect(h.requests.some((r) => r.path === REVOKE_PATH)).toBe(false);
  });
});
