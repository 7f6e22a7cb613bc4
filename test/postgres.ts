// For test files: a fresh, empty database of its own in the run's shared PostgreSQL cluster
// (started by ./postgres-global-setup.ts).
import { inject } from "vitest";
import { createDatabase } from "./postgres-cluster.ts";

/** Creates a database with a unique name and returns its URL; throws why when the run has no cluster. */
export async function postgresDatabase(): Promise<string> {
  const cluster = inject("postgres");
  if (cluster === undefined)
    throw new Error("no PostgreSQL cluster: vitest.config.ts lacks test/postgres-global-setup.ts");
  if ("error" in cluster) throw new Error(cluster.error);
  return createDatabase(cluster.url);
}
