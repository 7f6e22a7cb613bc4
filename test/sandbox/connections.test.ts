// Finding 5 of the hardening review: what a slow or idle client can hold. A request must arrive whole within
// SANDBOX_REQUEST_TIMEOUT (else 408 in the envelope and the connection closes), open connections are capped
// (SANDBOX_MAX_CONNECTIONS), and SIGTERM stops the process within a few seconds even with a stalled client.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startSandbox } from "../helpers.ts";
import { holdRequest, openSocket, parseResponse, pause } from "./raw-http.ts";
import { goodsQuery, token } from "./sandbox-client.ts";

describe("request timeout", () => {
  it("a body that never completes is answered 408 in the envelope and its connection closed", async () => {
    const sandbox = await startSandbox({ env: { SANDBOX_REQUEST_TIMEOUT: "1" } });
    try {
      const accessToken = await token(sandbox.baseUrl);
      const stalled = await holdRequest(sandbox.port, {
        path: "/open-api/goods/detail",
        headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: JSON.stringify(goodsQuery),
      });
      // Headers that never end (no credentials judged yet): cut by the same timeout.
      const anonymous = await openSocket(sandbox.port);
      anonymous.socket.write("POST /open-api/goods/detail HTTP/1.1\r\nHost: x\r\nX-Slow: ");
      await Promise.all([stalled.connection.closed, anonymous.closed]);
      for (const received of [stalled.connection.received(), anonymous.received()]) {
        const answer = parseResponse(received);
        expect(answer.status).toBe(408);
        expect(answer.body).toEqual({
          code: 408,
          data: null,
          msg: "request timed out: the whole request must arrive within 1 s; send it again without pausing",
        });
      }
    } finally {
      await sandbox.stop();
    }
  });
});

describe("connection cap", () => {
  it("closes connections beyond SANDBOX_MAX_CONNECTIONS as they are accepted, and keeps serving", async () => {
    const sandbox = await startSandbox({ env: { SANDBOX_MAX_CONNECTIONS: "4" } });
    try {
      // The readiness poll's keep-alive connection may still count: open enough to exceed the cap either way.
      const sockets = await Promise.all(Array.from({ length: 10 }, () => openSocket(sandbox.port)));
      await pause(500);
      const closed = sockets.filter((s) => s.isClosed()).length;
      expect(closed).toBeGreaterThanOrEqual(5);
      for (const s of sockets) s.socket.destroy();
      await pause(200);
      expect((await fetch(`${sandbox.baseUrl}/open-api/goods/detail`)).status).toBe(405);
    } finally {
      await sandbox.stop();
    }
  });
});

describe("graceful stop", () => {
  it("SIGTERM with a stalled request and an idle connection open exits 0 within the grace period", async () => {
    const sandbox = await startSandbox({ env: { SANDBOX_REQUEST_TIMEOUT: "120", SANDBOX_SHUTDOWN_GRACE: "1" } });
    const { baseUrl, port } = sandbox;
    try {
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        sandbox.child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      const accessToken = await token(baseUrl);
      // Authenticated, so its body is awaited: a request in flight that never completes.
      const stalled = await holdRequest(port, {
        path: "/open-api/goods/detail",
        headers: { authorization: `Bearer ${accessToken}`, "tenant-id": "1", "content-type": "application/json" },
        body: JSON.stringify(goodsQuery),
      });
      const idle = await openSocket(port);
      await pause(200);
      // SIGTERM to the sandbox's node process itself (tsx runs it as a child and passes its exit code on): a
      // supervisor's stop. Exit code 0 means the graceful stop finished; a hang would leave the process running
      // until the test's own timeout.
      const server = Number(
        readFileSync(`/proc/${sandbox.child.pid}/task/${sandbox.child.pid}/children`, "utf8").trim(),
      );
      process.kill(server, "SIGTERM");
      const exit = await exited;
      expect(exit).toEqual({ code: 0, signal: null });
      await Promise.all([stalled.connection.closed, idle.closed]);
      expect(sandbox.output()).toContain('"msg":"sandbox stopped"');
    } finally {
      await sandbox.stop();
    }
  });
});
