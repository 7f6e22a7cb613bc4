// Runs the Redocly CLI dependency (`bundle` for --spec, `respect` for the workflow layer) with this Node, telemetry
// and colours off, and answers its exit code with stdout and stderr together (what a failure message quotes).
import { spawn } from "node:child_process";
import { redoclyCli } from "./assets.ts";

export function runRedocly(
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv },
): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [redoclyCli, ...args], {
      cwd: options.cwd,
      env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1", ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    child.stdout.on("data", (c) => {
      text += c;
    });
    child.stderr.on("data", (c) => {
      text += c;
    });
    child.on("close", (code) => resolve({ code, text }));
  });
}
