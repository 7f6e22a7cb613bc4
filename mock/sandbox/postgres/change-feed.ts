// How an instance knows, before each security decision, that another one (or the admin CLI, or psql) changed a
// security fact, so that no cache serves a revoked token, a reset secret or a withdrawn scope.
//
// The guarantee comes from the security version (schema.ts): a counter the store's triggers move in the same
// transaction as every change to an application and every revocation. Before a request is served, `sync` reads
// it with a query sent after the request arrived (one query for all the requests of an event-loop turn): if it
// moved, something committed since the caches were filled, and the caches answer nothing until they are told
// what. A change committed before the request arrived is therefore always seen; NOTIFY alone could not promise
// that (PostgreSQL delivers notifications to listeners asynchronously, after the writer's COMMIT returned).
//
// What the caches drop comes from the notifications: every move is announced as "<version>:<what>" on a LISTEN
// connection of the instance's own. If every version since the last read was heard, only what they name is
// dropped (one token for a revocation); if any is missing (not delivered yet, or the listening connection was
// down), everything is. The listening connection reconnects by itself; while it is down, every change drops every
// cache, which is correct, only slower.
import pg from "pg";
import { SECURITY_CHANNEL } from "../schema.ts";
import { prepared } from "../sql.ts";
import type { ChangeFeed } from "../store-engine.ts";

type Change = { all: boolean; tokens: readonly string[] };

/** Notifications kept while waiting for the version that makes them complete; more and everything is dropped. */
const MAX_HEARD = 4096;

export class PostgresChangeFeed implements ChangeFeed {
  private listener: pg.Client | null = null;
  /** The version the caches reflect. */
  private known: number;
  /** What was announced for versions above `known`. */
  private readonly heard = new Map<number, string>();
  private pending: Change | null = null;
  private nextRead: Promise<void> | null = null;
  private closed = false;
  private retryMs = 100;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly config: pg.ClientConfig,
    private readonly report: (message: string) => void,
    version: number,
  ) {
    this.known = version;
  }

  /** Reads the current version and starts listening (so the first requests are judged with a working feed). */
  static async start(
    pool: pg.Pool,
    config: pg.ClientConfig,
    report: (message: string) => void,
  ): Promise<PostgresChangeFeed> {
    const feed = new PostgresChangeFeed(pool, config, report, await readVersion(pool));
    await feed.listen();
    return feed;
  }

  take(): Change | null {
    const change = this.pending;
    this.pending = null;
    return change;
  }

  /**
   * Resolves once the security version was read by a query sent after this call; `take` then reports every
   * change committed before it. Callers of one event-loop turn share the query.
   */
  sync(): Promise<void> {
    if (this.nextRead !== null) return this.nextRead;
    this.nextRead = new Promise((resolve) => {
      setImmediate(() => {
        // From here on, a new caller needs a new query: this one may have been sent before it arrived.
        this.nextRead = null;
        readVersion(this.pool).then(
          (version) => {
            this.catchUp(version);
            resolve();
          },
          () => {
            // The store cannot say: nothing cached may decide (the decision reads the store, and fails the same way).
            this.dropEverything();
            resolve();
          },
        );
      });
    });
    return this.nextRead;
  }

  /** The caches reflect `known`; the store is at `version`: drop what the versions in between changed. */
  private catchUp(version: number): void {
    if (version === this.known) return;
    const tokens: string[] = [];
    let complete = version > this.known;
    for (let v = this.known + 1; complete && v <= version; v++) {
      const what = this.heard.get(v);
      if (what === undefined || what === "app") complete = false;
      else tokens.push(what.slice("token:".length));
    }
    for (const v of this.heard.keys()) if (v <= version) this.heard.delete(v);
    this.known = version;
    if (!complete) {
      this.dropEverything();
      return;
    }
    const earlier = this.pending;
    this.pending = earlier?.all ? earlier : { all: false, tokens: [...(earlier?.tokens ?? []), ...tokens] };
  }

  private dropEverything(): void {
    this.pending = { all: true, tokens: [] };
  }

  private async listen(): Promise<void> {
    const client = new pg.Client(this.config);
    client.on("notification", (message) => {
      const payload = message.payload ?? "";
      const colon = payload.indexOf(":");
      const version = Number(payload.slice(0, colon));
      if (version > this.known && this.heard.size < MAX_HEARD) this.heard.set(version, payload.slice(colon + 1));
    });
    client.on("error", () => this.lost(client));
    client.on("end", () => this.lost(client));
    await client.connect();
    await client.query(`LISTEN ${SECURITY_CHANNEL}`);
    this.listener = client;
    this.retryMs = 100;
  }

  private lost(client: pg.Client): void {
    if (this.listener !== client || this.closed) return;
    this.listener = null;
    this.report("the store's change feed (LISTEN) was lost: every change now drops every cache until it is back");
    client.end().catch(() => undefined);
    const retry = () => {
      if (this.closed) return;
      this.listen().then(
        () => this.report("the store's change feed (LISTEN) is back"),
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
    await this.listener?.end().catch(() => undefined);
  }
}

async function readVersion(pool: pg.Pool): Promise<number> {
  const result = await pool.query<{ version: number }>(
    prepared("SELECT version FROM security_version WHERE id = 1", []),
  );
  return Number(result.rows[0]?.version ?? 0);
}
