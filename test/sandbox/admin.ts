// Runs the real admin CLI (mock/sandbox/admin-cli.ts) against a sandbox's store file, as operations staff would.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { bin, repoRoot } from "../helpers.ts";

const run = promisify(execFile);

export async function admin(dbPath: string, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run(bin("tsx"), [join(repoRoot, "mock", "sandbox", "admin-cli.ts"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, SANDBOX_DB: dbPath },
    });
    return stdout;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: number };
    throw new Error(`admin ${args.join(" ")} failed (${failed.code}): ${failed.stderr ?? ""}${failed.stdout ?? ""}`);
  }
}

/** Runs an admin command that must fail; answers its stderr. */
export async function adminFails(dbPath: string, ...args: string[]): Promise<string> {
  try {
    await admin(dbPath, ...args);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`admin ${args.join(" ")} succeeded but should have failed`);
}

export const secretIn = (output: string): string => {
  const match = /clientSecret: (\S+)/.exec(output);
  if (!match?.[1]) throw new Error(`no clientSecret in the admin output:\n${output}`);
  return match[1];
};

/** A new application of tenant 1 (or the given one) with the given scopes, so a test can change it freely. */
export async function createApp(dbPath: string, scopes: string, tenantId = "1") {
  const clientId = `app-${randomBytes(4).toString("hex")}`;
  const output = await admin(dbPath, "create-app", clientId, "--tenant", tenantId, "--scopes", scopes);
  return { clientId, secret: secretIn(output), tenantId, output };
}
