import type { RunContext } from "./run-context.ts";
export async function runDreddLayer(_ctx: RunContext, _env: NodeJS.ProcessEnv): Promise<void> {}
