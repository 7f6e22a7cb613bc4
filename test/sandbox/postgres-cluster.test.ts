// The PostgreSQL plumbing that the store's tests stand on: the run's shared cluster (test/postgres.ts) and a
// private one (test/postgres-cluster.ts) that starts, answers on 127.0.0.1 only, and stops without a trace.
import { existsSync } from "node:fs";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { postgresDatabase } from "../postgres.ts";
import { findPostgresBin, notInstalled, startPostgresCluster } from "../postgres-cluster.ts";

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

const setting = async (url: string, name: string) => (await query(url, `SHOW ${name}`))[0]?.[name];

describe("the run's shared cluster", () => {
  it("answers, on 127.0.0.1 only, with the fast test settings", async () => {
    const url = await postgresDatabase();
    expect(new URL(url).hostname).toBe("127.0.0.1");
    expect(await query(url, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await setting(url, "listen_addresses")).toBe("127.0.0.1");
    expect(await setting(url, "fsync")).toBe("off");
    expect(await setting(url, "max_connections")).toBe("200");
  });

  it("gives every call a database of its own", async () => {
    const [a, b] = await Promise.all([postgresDatabase(), postgresDatabase()]);
    expect(a).not.toBe(b);
    await query(a as string, "CREATE TABLE only_in_a (id int)");
    expect(await query(a as string, "SELECT count(*)::int AS n FROM only_in_a")).toEqual([{ n: 0 }]);
    await expect(query(b as string, "SELECT 1 FROM only_in_a")).rejects.toThrow(/only_in_a" does not exist/);
  });
});

describe("a private cluster", () => {
  it("keeps durable defaults when fast is false, then stops and leaves no folder and no server", async () => {
    const cluster = await startPostgresCluster({ fast: false, maxConnections: 20 });
    try {
      expect(cluster.url).toMatch(/^postgres:\/\/\w+@127\.0\.0\.1:\d+\/postgres$/);
      expect(await setting(cluster.url, "fsync")).toBe("on");
      expect(await setting(cluster.url, "max_connections")).toBe("20");
      const db = await cluster.createDatabase("named_db");
      expect(await query(db, "SELECT current_database() AS name")).toEqual([{ name: "named_db" }]);
      expect(existsSync(cluster.dir)).toBe(true);
    } finally {
      await cluster.stop();
    }
    expect(existsSync(cluster.dir)).toBe(false);
    await expect(query(cluster.url, "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
  });

  it("says how to install PostgreSQL when PG_BIN points at nothing", () => {
    expect(() => findPostgresBin({ PG_BIN: "/nonexistent" })).toThrow(notInstalled);
    expect(findPostgresBin({})).toMatch(/bin$/);
  });
});
