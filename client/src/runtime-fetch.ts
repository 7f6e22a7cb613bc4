// The runtime's own fetch, called with URL and init (no Request built by the SDK), and on Node without the copy of
// the request body that following redirects costs.
//
// Why: undici (Node's fetch) clones every request whose redirect mode is not "error" (the Fetch standard's
// "HTTP-network-or-cache fetch" step 2), which tees the body stream, so it can resend the body on a 307/308. On
// loopback that copy was ~20% of a bare fetch + JSON.parse (113 vs 141 µs per call, 2026-11-30). The platform does
// not redirect its API calls, so each call asks for "error" first; a redirect then fails the fetch with undici's
// "unexpected redirect", and the same call is sent again with the caller's mode, which follows it as before. After
// one redirect, the client sends every call with the caller's mode (one redirected request, not one per call).
// A redirect answer means the request was not processed there; a redemption resends the same requestId anyway.

export type UrlFetch = (url: string, init: RequestInit) => Promise<Response>;

interface NodeProcess {
  versions?: { undici?: string };
}

/** True on Node, whose fetch is undici (browsers, Deno and Bun have no copy to avoid and no such error to read). */
function isUndici(): boolean {
  const process = (globalThis as { process?: NodeProcess }).process;
  return typeof process?.versions?.undici === "string";
}

/** undici's rejection for a redirect answered to a request with redirect "error". */
function isUnexpectedRedirect(error: unknown): boolean {
  return error instanceof TypeError && error.cause instanceof Error && error.cause.message === "unexpected redirect";
}

/** `globalThis.fetch(url, init)`, looked up per call (so a runtime's or a test's replacement is honoured). */
export function createRuntimeFetch(): UrlFetch {
  if (!isUndici()) return (url, init) => globalThis.fetch(url, init);
  let redirected = false;
  return async (url, init) => {
    // Only the default mode: a caller who asked for "manual" or "error" gets exactly that.
    if (redirected || (init.redirect ?? "follow") !== "follow") return globalThis.fetch(url, init);
    init.redirect = "error";
    try {
      return await globalThis.fetch(url, init);
    } catch (error) {
      if (!isUnexpectedRedirect(error)) throw error;
      redirected = true;
      init.redirect = "follow";
      return globalThis.fetch(url, init);
    }
  };
}
