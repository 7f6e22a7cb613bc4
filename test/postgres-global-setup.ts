// vitest globalSetup: one PostgreSQL cluster for the whole run (about half a second to start), shared by every test
// file through provide/inject; test files get their own database in it with postgresDatabase() (./postgres.ts).
import type { TestProject } from "vitest/node";
import { type PostgresCluster, startPostgresCluster } from "./postgres-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The cluster's admin URL, or why there is none. */
    postgres: { url: string } | { error: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let cluster: PostgresCluster | undefined;
  try {
    cluster = await startPostgresCluster();
    project.provide("postgres", { url: cluster.url });
  } catch (error) {
    // Without PostgreSQL only the tests that need it fail (with this message); the rest of the suite still runs.
    project.provide("postgres", { error: error instanceof Error ? error.message : String(error) });
  }
  return async () => {
    await cluster?.stop();
  };
}
