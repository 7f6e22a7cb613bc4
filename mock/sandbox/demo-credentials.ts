// Which demo applications still answer to their published secret. The start-up banner and the docs'
// /docs/environment.json (which pre-fills the try-it console) show a demo secret only while it verifies: after
// `admin reset-secret` it is no longer a credential, and showing it would send partners into 401s.
import { verifySecret } from "./credentials.ts";
import type { Sql } from "./sql.ts";
import { type DemoApp, demoApps } from "./store.ts";

export class DemoCredentials {
  /** The stored hash each verdict was reached on: scrypt runs again only when a secret was reset. */
  private readonly verdicts = new Map<string, { hash: string; valid: Promise<boolean> }>();

  constructor(private readonly sql: Sql) {}

  /** The demo applications whose published secret verifies against the store now. */
  async usable(): Promise<DemoApp[]> {
    const valid = await Promise.all(demoApps.map((app) => this.verifies(app)));
    return demoApps.filter((_, i) => valid[i]);
  }

  private async verifies(app: DemoApp): Promise<boolean> {
    const row = await this.sql.get<{ secret_hash: string }>("SELECT secret_hash FROM apps WHERE client_id = ?", [
      app.clientId,
    ]);
    if (row === undefined) return false;
    const hash = row.secret_hash;
    const known = this.verdicts.get(app.clientId);
    if (known?.hash === hash) return known.valid;
    const valid = verifySecret(app.secret, hash);
    this.verdicts.set(app.clientId, { hash, valid });
    return valid;
  }
}
