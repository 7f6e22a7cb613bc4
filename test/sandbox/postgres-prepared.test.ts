// PostgreSQL statements as named prepared statements (sql.ts `prepared`): parsed and planned once per connection,
// and still right after another instance's migration changes a table under them (a rolling upgrade).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../mock/sandbox/open-store.ts";
import { prepared } from "../../mock/sandbox/sql.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { postgresDatabase } from "../postgres.ts";

let store: StoreEngine;
beforeAll(async () => {
  store = await openStore(await postgresDatabase());
  await store.sql.exec("CREATE TABLE prepared_probe (id INTEGER PRIMARY KEY, a TEXT NOT NULL)");
  await store.sql.run("INSERT INTO prepared_probe (id, a) VALUES (?, ?), (?, ?)", [1, "one", 2, "two"]);
});
afterAll(() => store?.close());

describe("named prepared statements", () => {
  it("give one statement text one name, and leave star projections unnamed", () => {
    const text = "SELECT a FROM prepared_probe WHERE id = $1";
    expect(prepared(text, [1]).name).toMatch(/^rizzit_\d+$/);
    expect(prepared(text, [2]).name).toBe(prepared(text, [1]).name);
    expect(prepared("SELECT a FROM prepared_probe WHERE id = $2", [1]).name).not.toBe(prepared(text, [1]).name);
    expect(prepared("SELECT COUNT(*) AS n FROM prepared_probe", []).name).toBeDefined();
    for (const star of [
      "SELECT * FROM prepared_probe",
      "SELECT p.*, 1 AS x FROM prepared_probe p",
      "UPDATE prepared_probe SET a = a RETURNING *",
    ])
      expect(prepared(star, []).name).toBeUndefined();
  });

  it("are prepared on the connection that runs them, once", async () => {
    await store.sql.transaction(async (tx) => {
      for (const id of [1, 2, 1]) await tx.get("SELECT a FROM prepared_probe WHERE id = ?", [id]);
      await tx.get("SELECT * FROM prepared_probe WHERE id = ?", [1]);
      const held = await tx.all<{ statement: string }>(
        "SELECT statement FROM pg_prepared_statements WHERE statement LIKE 'SELECT % FROM prepared_probe WHERE id = $1'",
      );
      expect(held.map((row) => row.statement)).toEqual(["SELECT a FROM prepared_probe WHERE id = $1"]);
    });
  });

  it("keep answering after a column is added under them, star projections included", async () => {
    // Every connection of the pool runs both first, so each holds its prepared plan when the table changes.
    for (let i = 0; i < 12; i++) {
      await store.sql.get("SELECT a FROM prepared_probe WHERE id = ?", [1]);
      await store.sql.get("SELECT * FROM prepared_probe WHERE id = ?", [1]);
    }
    await store.sql.exec("ALTER TABLE prepared_probe ADD COLUMN b TEXT NOT NULL DEFAULT 'new'");
    for (let i = 0; i < 12; i++) {
      expect(await store.sql.get("SELECT a FROM prepared_probe WHERE id = ?", [1])).toEqual({ a: "one" });
      expect(await store.sql.get("SELECT * FROM prepared_probe WHERE id = ?", [1])).toEqual({
        id: 1,
        a: "one",
        b: "new",
      });
    }
  });
});
