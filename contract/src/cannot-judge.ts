// The run could not start or cannot judge the server (exit code 2): unreachable server, credentials refused,
// missing environment, bad options. The message is one line that says what went wrong and what to do; it never
// holds a secret (callers build it from variable names and redacted text).
export class CannotJudge extends Error {
  override readonly name = "CannotJudge";
}

/** "ECONNREFUSED", "ENOTFOUND", "timeout" ... from a failed fetch, for a one-line message. */
export function networkCause(error: unknown): string {
  const err = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === "TimeoutError") return "no answer before the timeout";
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(error);
}
