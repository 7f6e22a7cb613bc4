// The two engines of the sandbox store, for suites that run against both (describe.each(engines)): SQLite in
// memory, and a fresh database of the run's PostgreSQL cluster (../postgres.ts).
import { openStore } from "../../mock/sandbox/open-store.ts";
import type { StoreEngine } from "../../mock/sandbox/store-engine.ts";
import { postgresDatabase } from "../postgres.ts";

export const engines = ["sqlite", "postgres"] as const;
export type Engine = (typeof engines)[number];

/** Where a sandbox process keeps its state for this engine: SANDBOX_DB's value (a fresh store each call). */
export async function storeLocation(engine: Engine, sqlitePath = ":memory:"): Promise<string> {
  return engine === "sqlite" ? sqlitePath : postgresDatabase();
}

/** A fresh, migrated store of this engine, opened in this process. */
export async function openTestStore(engine: Engine): Promise<StoreEngine> {
  return openStore(await storeLocation(engine), { report: () => undefined });
}
