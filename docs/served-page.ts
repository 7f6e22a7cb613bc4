// What a server that serves the built docs may change or add: the code samples' default base URL (so a sample shown
// by the sandbox runs against that sandbox), and `environment.json`, which tells the pages' scripts who served them.
// Imported by the docs build (the static file) and by the sandbox (mock/sandbox/docs-site.ts).
import { DEFAULT_BASE_URL } from "./code-samples.ts";

/** What `<site>/environment.json` holds: the static build writes `servedBy: null`; the sandbox answers its own. */
export interface DocsEnvironment {
  servedBy: "sandbox" | null;
  /** The origin the sandbox was reached at (null when the request's Host header was not a plain host name). */
  origin: string | null;
  tenantId: string;
  demoApps: { clientId: string; clientSecret: string; scopes: string[] }[];
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

// Where a sample names its default base URL, as it stands JSON-escaped in the page's inlined state: cURL
// `${OPENAPI_BASE_URL:-URL}`, Python `os.environ.get("OPENAPI_BASE_URL", "URL")`, Java
// `requireNonNullElse(System.getenv("OPENAPI_BASE_URL"), "URL")`, TypeScript `process.env.OPENAPI_BASE_URL ?? "URL"`.
// The guide's own mentions of the QA gateway (the environments table) do not match and stay as they are.
const SAMPLE_DEFAULT = new RegExp(
  `(OPENAPI_BASE_URL(?::-|\\\\", \\\\"|\\\\"\\), \\\\"| \\?\\? \\\\"))${escapeRegExp(DEFAULT_BASE_URL)}`,
  "g",
);

/** The number of sample defaults a page holds (a test checks it equals samples × operations). */
export function sampleDefaultCount(html: string): number {
  return html.match(SAMPLE_DEFAULT)?.length ?? 0;
}

/** The page with every sample's default base URL set to `origin` (e.g. http://127.0.0.1:4010). */
export function pageForOrigin(html: string, origin: string): string {
  return html.replace(SAMPLE_DEFAULT, (_match, prefix: string) => `${prefix}${origin}`);
}
