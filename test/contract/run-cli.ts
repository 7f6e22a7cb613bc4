// Runs `npm run contract` (tsx contract/src/cli.ts) as a real child process, as a platform team's CI does.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { bin, repoRoot } from "../helpers.ts";

export const secret = "sandbox-demo-secret";
export const credentials = {
  OPENAPI_CLIENT_ID: "sandbox-demo",
  OPENAPI_CLIENT_SECRET: secret,
  OPENAPI_TENANT_ID: "1",
  OPENAPI_LIMITED_CLIENT_ID: "sandbox-goods-reader",
  OPENAPI_LIMITED_CLIENT_SECRET: "sandbox-goods-reader-secret",
};
/** The token Prism hands out (the spec's example): a full token the runner must never print. */
export const prismToken = "9f1c2e7a4b8d4c0e8a6f3b2d1c0e9f8a";

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end and answers its exit code and output (no shell). */
export function runProcess(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => {
      stdout += c;
    });
    child.stderr.on("data", (c) => {
      stderr += c;
    });
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return runProcess(bin("tsx"), [join(repoRoot, "contract", "src", "cli.ts"), ...args], repoRoot, {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    REDOCLY_TELEMETRY: "off",
    ...env,
  });
}
