// A private PostgreSQL cluster for tests and benchmarks: initdb into a temp folder, a postgres child process that
// this process owns on a free port of 127.0.0.1, stopped and deleted when done. No docker, no system service.
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { delimiter, join } from "node:path";
import pg from "pg";
import { freePort } from "./helpers.ts";

export const notInstalled =
  "PostgreSQL is not installed: apt-get install postgresql (bash .ci/run does this), or set PG_BIN";

export interface PostgresCluster {
  /** Admin URL (superuser, database `postgres`), e.g. postgres://postgres@127.0.0.1:54321/postgres */
  url: string;
  port: number;
  /** The cluster's folder (data and unix socket); gone after stop(). */
  dir: string;
  /** Creates a fresh empty database (a unique name unless given) and returns its URL. */
  createDatabase: (name?: string) => Promise<string>;
  /** The server's log so far, for error messages. */
  log: () => string;
  /**
   * Takes the server down (fast shutdown) and brings it back on the same port with the same files, as a database
   * host's restart or failover does to the sandboxes connected to it. `downMs`: how long it stays down.
   */
  restart: (downMs?: number) => Promise<void>;
  /** Fast shutdown (SIGINT), waits for the server to exit, deletes the folder. */
  stop: () => Promise<void>;
}

export interface ClusterOptions {
  /** Trade durability for speed (fsync, synchronous_commit, full_page_writes off). Benchmarks pass false. */
  fast?: boolean;
  /** Several sandboxes with their own pools share one cluster in a test run. */
  maxConnections?: number;
  /** How long to wait for the server to accept connections. */
  timeoutMs?: number;
}

const hasServer = (dir: string) => existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb"));

/** The folder holding `initdb` and `postgres`: $PG_BIN, else the newest Debian version, else the PATH. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PG_BIN) {
    if (hasServer(env.PG_BIN)) return env.PG_BIN;
    throw new Error(`PG_BIN=${env.PG_BIN} holds no initdb and postgres: ${notInstalled}`);
  }
  const debian = "/usr/lib/postgresql";
  const versions = existsSync(debian) ? readdirSync(debian).filter((v) => /^\d+$/.test(v)) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  for (const version of versions) if (hasServer(join(debian, version, "bin"))) return join(debian, version, "bin");
  for (const dir of (env.PATH ?? "").split(delimiter)) if (dir && hasServer(dir)) return dir;
  throw new Error(notInstalled);
}

interface Account {
  name: string;
  uid?: number;
  gid?: number;
}

/** initdb and postgres refuse to run as root: as root, run them as `postgres` (Debian's package makes it) or `nobody`. */
function serverAccount(): Account {
  if (process.getuid?.() !== 0) return { name: userInfo().username };
  const passwd = readFileSync("/etc/passwd", "utf8").split("\n");
  for (const name of ["postgres", "nobody"]) {
    const fields = passwd.find((line) => line.startsWith(`${name}:`))?.split(":");
    if (fields?.[2] && fields[3]) return { name, uid: Number(fields[2]), gid: Number(fields[3]) };
  }
  throw new Error("running as root, and neither a postgres nor a nobody user exists to run PostgreSQL as");
}

function run(command: string, args: string[], account: Account, cwd: string): ChildProcess {
  return spawn(command, args, {
    cwd,
    env: { ...process.env, LC_ALL: "C" },
    stdio: ["ignore", "pipe", "pipe"],
    ...(account.uid === undefined ? {} : { uid: account.uid, gid: account.gid }),
  });
}

/** Collects a child's output (always drained: a full pipe would block postgres), keeping the last 64 KiB. */
function capture(child: ChildProcess): () => string {
  let output = "";
  const add = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout?.on("data", add);
  child.stderr?.on("data", add);
  return () => output;
}

const exited = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once("exit", (code) => resolve(code));
  });

async function initdb(bin: string, dir: string, account: Account): Promise<void> {
  const child = run(
    join(bin, "initdb"),
    // trust: the server listens on 127.0.0.1 and a socket in its own 0700 folder only, and lives for one run.
    ["-D", dir, "-U", account.name, "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C"],
    account,
    dir,
  );
  const output = capture(child);
  const code = await exited(child);
  if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output()}`);
}

/** Creates an empty database (a unique name unless given) in the cluster of `adminUrl`; returns its URL. */
export async function createDatabase(adminUrl: string, name = `test_${randomUUID().replaceAll("-", "")}`) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function accepts(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const { fast = true, maxConnections = 200, timeoutMs = 30_000 } = options;
  const bin = findPostgresBin();
  const account = serverAccount();
  const dir = mkdtempSync(join(tmpdir(), "pg-cluster-"));
  try {
    if (account.uid !== undefined) chownSync(dir, account.uid, account.gid as number);
    await initdb(bin, dir, account);
    const settings = [`max_connections=${maxConnections}`];
    if (fast) settings.push("fsync=off", "synchronous_commit=off", "full_page_writes=off");
    // The free port can be taken by someone else before postgres binds it: then try another one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const args = ["-D", dir, "-h", "127.0.0.1", "-p", String(port), "-k", dir];
      const launch = () => run(join(bin, "postgres"), [...args, ...settings.flatMap((s) => ["-c", s])], account, dir);
      const server = launch();
      const log = capture(server);
      const url = `postgres://${encodeURIComponent(account.name)}@127.0.0.1:${port}`;
      const ready = await waitUntilReady(server, `${url}/postgres`, timeoutMs);
      if (ready === "ready") return cluster({ server, log }, launch, { url, port, dir, timeoutMs });
      if (ready === "timeout") {
        server.kill("SIGKILL");
        await exited(server);
        throw new Error(`postgres did not accept connections within ${timeoutMs} ms:\n${log()}`);
      }
      if (!/could not bind|Address already in use/.test(log()) || attempt === 3) {
        throw new Error(`postgres exited on start (exit ${server.exitCode}):\n${log()}`);
      }
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function waitUntilReady(server: ChildProcess, url: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) return "exited";
    if (await accepts(url)) return "ready";
    await new Promise((r) => setTimeout(r, 100));
  }
  return "timeout";
}

function cluster(
  running: { server: ChildProcess; log: () => string },
  launch: () => ChildProcess,
  where: { url: string; port: number; dir: string; timeoutMs: number },
): PostgresCluster {
  // If this process ends without stop() (a crashed run), do not leave a server behind: immediate shutdown, then
  // delete the folder (retried, as the server may still be removing its socket and pid file).
  const onExit = () => {
    running.server.kill("SIGQUIT");
    rmSync(where.dir, { recursive: true, force: true, maxRetries: 5 });
  };
  process.once("exit", onExit);
  const admin = `${where.url}/postgres`;
  const shutdown = async () => {
    const { server } = running;
    if (server.exitCode !== null || server.signalCode !== null) return;
    server.kill("SIGINT");
    // A fast shutdown waits for nothing but a checkpoint; SIGQUIT (immediate) if it hangs anyway.
    const timer = setTimeout(() => server.kill("SIGQUIT"), 10_000);
    await exited(server);
    clearTimeout(timer);
  };
  return {
    url: admin,
    port: where.port,
    dir: where.dir,
    log: () => running.log(),
    createDatabase: (name) => createDatabase(admin, name),
    async restart(downMs = 0) {
      await shutdown();
      await new Promise((resume) => setTimeout(resume, downMs));
      running.server = launch();
      running.log = capture(running.server);
      const ready = await waitUntilReady(running.server, admin, where.timeoutMs);
      if (ready !== "ready")
        throw new Error(`postgres did not come back after a restart (${ready}):\n${running.log()}`);
    },
    async stop() {
      process.off("exit", onExit);
      await shutdown();
      rmSync(where.dir, { recursive: true, force: true });
    },
  };
}
