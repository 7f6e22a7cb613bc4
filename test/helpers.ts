// Shared test plumbing: free ports, real child processes started and stopped by the test, the bundled spec.
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const bin = (name: string): string => join(repoRoot, "node_modules", ".bin", name);

// biome-ignore lint/suspicious/noExplicitAny: the bundled spec is walked generically by tests
export type Json = any;

/** The bundled spec that every tool reads (generated/openapi.json). */
export function loadBundledSpec(): Json {
  return JSON.parse(readFileSync(join(repoRoot, "generated", "openapi.json"), "utf8"));
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (address === null || typeof address === "string") return reject(new Error("no port"));
      server.close(() => resolvePort(address.port));
    });
  });
}

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * Starts a real process and resolves once `ready(url)` answers (polled), or rejects with its output.
 * The process is killed as a group so that npx/tsx wrappers do not leave children behind.
 */
export async function startProcess(options: {
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Polled with what the process printed so far. */
  isReady: (output: string) => Promise<boolean>;
  timeoutMs?: number;
}): Promise<RunningProcess> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd ?? repoRoot,
    env: { ...process.env, REDOCLY_TELEMETRY: "off", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<void>((done) => child.once("exit", () => done()));
  const stop = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    try {
      process.kill(-(child.pid as number), signal);
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {}
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${options.command} exited early (${child.exitCode}):\n${output}`);
    if (await options.isReady(output).catch(() => false)) return { child, output: () => output, stop };
    await new Promise((r) => setTimeout(r, 150));
  }
  await stop("SIGKILL");
  throw new Error(`${options.command} did not become ready in time:\n${output}`);
}

/** Prism serving the bundled spec's examples on a free port. */
export async function startPrism(): Promise<RunningProcess & { baseUrl: string }> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const prism = await startProcess({
    command: bin("prism"),
    args: ["mock", join(repoRoot, "generated", "openapi.json"), "-h", "127.0.0.1", "-p", String(port), "-v", "warn"],
    // Prism answers 4xx to a bare POST without credentials: any HTTP answer means it is up.
    isReady: async () => (await fetch(`${baseUrl}/open-api/goods/detail`, { method: "POST" })).status > 0,
  });
  return { ...prism, baseUrl };
}

/**
 * The stateful sandbox (mock/sandbox/main.ts) on a free port, store `:memory:` unless `dbPath` is given. Every
 * response it sends is checked against the spec (SANDBOX_VALIDATE_RESPONSES=1): a mismatch answers 500 with
 * "RESPONSE_CONTRACT_VIOLATION" and logs it, so `output()` must never contain that word.
 */
export async function startSandbox(options: { env?: NodeJS.ProcessEnv; dbPath?: string } = {}): Promise<{
  baseUrl: string;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
  output: () => string;
  port: number;
  /** The `tsx` process (the sandbox's node process is its child): for a test that watches how it exits. */
  child: RunningProcess["child"];
}> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const sandbox = await startProcess({
    command: bin("tsx"),
    args: [join(repoRoot, "mock", "sandbox", "main.ts")],
    env: {
      HOST: "127.0.0.1",
      PORT: String(port),
      SANDBOX_DB: options.dbPath ?? ":memory:",
      SANDBOX_VALIDATE_RESPONSES: "1",
      ...options.env,
    },
    // Up once its banner is out (written just after it started listening: a test reads it) and it answers HTTP
    // (any answer: a 405 envelope for GET).
    isReady: async (output) =>
      output.includes(`listening on ${baseUrl}`) && (await fetch(`${baseUrl}/open-api/goods/detail`)).status > 0,
  });
  return { baseUrl, port, stop: sandbox.stop, output: sandbox.output, child: sandbox.child };
}

/** A copy of the value of a named example of the bundled spec, e.g. specExample("GetGoodsDetailResponse"). */
export function specExample(name: string): Json {
  const example = loadBundledSpec().components?.examples?.[name];
  if (example === undefined) throw new Error(`the spec has no example named ${name}`);
  return structuredClone(example.value);
}
