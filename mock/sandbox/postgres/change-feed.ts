// How an instance learns, at once, that another one (or the admin CLI, or psql) changed a security fact: the
// store's triggers NOTIFY on every change to an application and on every revocation (schema.ts), and each
// instance LISTENs on a connection of its own. PostgreSQL delivers a notification when the change commits, before
// the writer's COMMIT returns to it, so by the time the writer has answered anyone, every listening instance has
// it in its socket; the next security decision there reads it first.
//
// While the listening connection is down (the database restarted, the network dropped), notifications can be
// missed: then `take` answers "everything changed" on every call, so no cache serves a decision until the
// connection is back (each request reads the store), and once more right after it is back.
import pg from "pg";
import { SECURITY_CHANNEL } from "../schema.ts";
import type { ChangeFeed } from "../store-engine.ts";

const EVERYTHING = { all: true, tokens: [] as readonly string[] };
/** Revoked hashes kept between two decisions at most; more and the caches are simply dropped. */
const MAX_PENDING_TOKENS = 1024;

export class PostgresChangeFeed implements ChangeFeed {
  private client: pg.Client | null = null;
  private connected = false;
  private missedSome = true;
  private all = false;
  private tokens: string[] = [];
  private closed = false;
  private retryMs = 100;

  private constructor(
    private readonly config: pg.ClientConfig,
    private readonly report: (message: string) => void,
  ) {}

  /** Resolves once listening (so the first requests are judged with a working feed). */
  static async start(config: pg.ClientConfig, report: (message: string) => void): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(config, report);
    await feed.connect();
    return feed;
  }

  take(): { all: boolean; tokens: readonly string[] } | null {
    if (!this.connected || this.missedSome) {
      if (this.connected) this.missedSome = false;
      this.all = false;
      this.tokens = [];
      return EVERYTHING;
    }
    if (!this.all && this.tokens.length === 0) return null;
    const change = { all: this.all, tokens: this.tokens };
    this.all = false;
    this.tokens = [];
    return change;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on("notification", (message) => {
      const payload = message.payload ?? "";
      if (payload.startsWith("token:") && this.tokens.length < MAX_PENDING_TOKENS) this.tokens.push(payload.slice(6));
      else this.all = true;
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${SECURITY_CHANNEL}`);
    this.client = client;
    this.connected = true;
    this.retryMs = 100;
  }

  private lost(client: pg.Client): void {
    if (this.client !== client || this.closed) return;
    this.client = null;
    this.connected = false;
    this.missedSome = true;
    this.report("the store's change feed (LISTEN) was lost: caches are off until it is back");
    client.end().catch(() => undefined);
    const retry = () => {
      if (this.closed) return;
      this.connect().then(
        () => this.report("the store's change feed (LISTEN) is back: caches are on again"),
        () => {
          this.retryMs = Math.min(this.retryMs * 2, 5000);
          setTimeout(retry, this.retryMs).unref();
        },
      );
    };
    setTimeout(retry, this.retryMs).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.client?.end().catch(() => undefined);
  }
}
