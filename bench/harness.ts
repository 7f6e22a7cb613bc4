// What the server benchmarks share: free ports, starting and stopping servers as process groups, the CPU time a
// group spent (the steady figure on a shared machine), autocannon, and a sandbox with a token.
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = (name: string) => join(root, "node_modules", ".bin", name);

export interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
export interface CannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: CannonRequest) => CannonRequest;
  /** Called with every response (autocannon collects the body anyway). */
  onResponse?: (status: number, body: string) => void;
}
export type Cannon = (options: {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  requests?: CannonRequest[];
  connections: number;
  duration?: number;
  amount?: number;
}) => Promise<CannonResult>;
export const autocannon = createRequire(import.meta.url)("autocannon") as Cannon;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** Spawns a server in its own process group (detached) and waits until `url` answers. */
export async function start(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  url: string,
): Promise<ChildProcess> {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: "ignore", detached: true });
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`${command} exited early with ${child.exitCode}`);
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    )
      return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${command} did not start`);
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    try {
      process.kill(-(child.pid as number), "SIGTERM");
    } catch {
      resolve();
    }
  });
}

/** Every process's /proc/<pid>/stat fields after the command name (fields[1] ppid, [2] group, [11..14] times). */
function* processStats(): Generator<{ pid: number; fields: string[] }> {
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue;
    }
    yield { pid: Number(pid), fields: stat.slice(stat.lastIndexOf(")") + 2).split(" ") };
  }
}

/**
 * CPU time (user + system, all threads) of every process in a group, in clock ticks. Unlike req/s it hardly
 * depends on what else the machine runs, so it is the steadier measure on a shared 2-core box.
 */
export function groupCpuTicks(group: number): number {
  let ticks = 0;
  for (const { fields } of processStats()) {
    if (Number(fields[2]) === group) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}

/**
 * CPU time of a process and its children, live and exited (the parent's cutime and cstime hold the exited ones
 * it waited for), in clock ticks: for a server that forks a process per connection, as PostgreSQL's postmaster
 * does, and is not a process group of its own.
 */
export function treeCpuTicks(parent: number): number {
  let ticks = 0;
  for (const { pid, fields } of processStats()) {
    if (pid === parent) ticks += fields.slice(11, 15).reduce((sum, f) => sum + Number(f), 0);
    else if (Number(fields[1]) === parent) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks;
}
export const TICK_US = 10_000; // USER_HZ = 100 on Linux

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

export const loadAverage = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

export const DEMO_BASIC = `Basic ${Buffer.from("sandbox-demo:sandbox-demo-secret").toString("base64")}`;

/** Starts `tsx mock/sandbox/main.ts` with the given environment; answers its port and process group. */
export async function startSandbox(env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; port: number }> {
  const port = await freePort();
  const child = await start(
    bin("tsx"),
    ["mock/sandbox/main.ts"],
    { SANDBOX_LOG_LEVEL: "info", ...env, PORT: String(port) },
    `http://127.0.0.1:${port}/docs`,
  );
  return { child, port };
}

/** A token of the demo app for the given scopes. */
export async function demoToken(port: number, scope: string): Promise<string> {
  const issued = await fetch(`http://127.0.0.1:${port}/open-api/system/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: DEMO_BASIC,
      "tenant-id": "1",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ grant_type: "client_credentials", scope }).toString(),
  });
  return ((await issued.json()) as { data: { access_token: string } }).data.access_token;
}
