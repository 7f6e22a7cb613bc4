// The WAL checkpointer (wal-checkpointer.cjs) on a file store that serves: it copies the WAL into the database and,
// once the WAL passes its limit, truncates it to nothing from its own thread, while the server goes on writing.
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { tokenKey } from "../../mock/sandbox/credentials.ts";
import { openStore } from "../../mock/sandbox/open-store.ts";
import type { SqliteStore } from "../../mock/sandbox/sqlite-engine.ts";
import { seedDemoApps } from "../../mock/sandbox/store.ts";

let dir: string;
let path: string;
let store: SqliteStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "rizzit-wal-"));
  path = join(dir, "store.db");
  store = (await openStore(path, { report: () => undefined })) as SqliteStore;
  await seedDemoApps(store.sql);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const walBytes = () => statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0;

describe("the WAL checkpointer of a serving file store", () => {
  it("truncates the WAL to nothing once it passes its limit, from its own thread, losing no write", async () => {
    const reports: string[] = [];
    // A limit of 64 pages (256 KiB) instead of 64 MiB, checked every 10 ms.
    store.startServing((message) => reports.push(message), { everyMs: 10, truncatePages: 64 });
    const insert = store.db.prepare(
      "INSERT INTO tokens (token_hash, client_id, tenant_id, scopes, issued_at, expires_at) VALUES (?, 'sandbox-demo', '1', 's', ?, ?)",
    );
    const now = Date.now();
    // The server's connection no longer cuts the file back itself (that was an ftruncate on the event loop).
    expect(store.db.pragma("journal_size_limit", { simple: true })).toBe(-1);
    // Writes that keep coming, a transaction every few milliseconds, while the checkpointer works beside them. A
    // write that meets the truncation's lock fails at once (busy) and is tried again, as the server does.
    const batch = store.db.transaction((first: number) => {
      for (let i = first; i < first + 250; i++) insert.run(tokenKey(`wal-${i}`), now, now + 3_600_000);
    });
    let written = 0;
    let largest = 0;
    while (written < 10_000) {
      try {
        batch(written);
        written += 250;
      } catch (error) {
        if (!store.isBusy(error)) throw error;
      }
      largest = Math.max(largest, walBytes());
      await new Promise((resume) => setTimeout(resume, 5));
    }
    expect(largest).toBeGreaterThan(64 * 4096);
    await expect.poll(walBytes, { timeout: 10_000 }).toBe(0);
    expect(store.db.prepare("SELECT COUNT(*) FROM tokens").pluck().get()).toBe(written);
    expect(reports).toEqual([]);
  });
});
