import type { RunContext } from "./run-context.ts";
export async function runWorkflowLayer(_ctx: RunContext, _env: NodeJS.ProcessEnv): Promise<void> {}
