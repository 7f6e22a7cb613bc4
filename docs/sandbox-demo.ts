// The local sandbox as the docs show it (guide, start page, console, environment.json): its demo applications and
// the two-step first call. The applications' one source is mock/sandbox/store.ts, which seeds them into every new
// sandbox store: change them there and the docs follow at the next build.
import { demoApps } from "../mock/sandbox/store.ts";
import type { DocsEnvironment } from "./served-page.ts";

/** Where `npm start` serves the sandbox (mock/sandbox/config.ts defaults). */
export const LOCAL_SANDBOX = "http://127.0.0.1:4010";

export const sandboxDemo: { tenantId: string; apps: DocsEnvironment["demoApps"] } = {
  tenantId: demoApps[0]?.tenantId ?? "1",
  apps: demoApps.map((app) => ({ clientId: app.clientId, clientSecret: app.secret, scopes: [...app.scopes] })),
};

/** What the static build writes as environment.json: no sandbox served these pages. */
export const staticEnvironment: DocsEnvironment = {
  servedBy: null,
  origin: null,
  tenantId: sandboxDemo.tenantId,
  demoApps: sandboxDemo.apps,
};

/** The demo applications as a Markdown table (the column names are the API's own words, the same in every language). */
export function demoAppsTable(): string {
  const rows = sandboxDemo.apps.map(
    (a) =>
      `| \`${a.clientId}\` | \`${a.clientSecret}\` | ${a.scopes.map((s) => `\`${s}\``).join(" ")} | \`${sandboxDemo.tenantId}\` |`,
  );
  return ["| clientId | clientSecret | scope | tenant-id |", "|---|---|---|---|", ...rows].join("\n");
}

export interface FirstCallWords {
  start: string;
  token: string;
  call: string;
}

/**
 * The first call as a shell script: a token from the demo application, then goods detail with it. Only curl and
 * sed, so it runs in any POSIX shell; test/docs/first-call.test.ts runs it against a sandbox.
 */
export function firstCallScript(words: FirstCallWords, baseUrl = LOCAL_SANDBOX): string {
  const app = sandboxDemo.apps[0];
  if (!app) throw new Error("mock/sandbox/store.ts has no demo application");
  return `# ${words.start}
npm start

# 1) ${words.token}
TOKEN=$(curl -s -u ${app.clientId}:${app.clientSecret} -H 'tenant-id: ${sandboxDemo.tenantId}' \\
  -d grant_type=client_credentials -d scope=goods:detail:read \\
  ${baseUrl}/open-api/system/oauth2/token | sed -E 's/.*"access_token":"([^"]+)".*/\\1/')

# 2) ${words.call}
curl -s -H "Authorization: Bearer $TOKEN" -H 'tenant-id: ${sandboxDemo.tenantId}' -H 'Content-Type: application/json' \\
  -d '{"goodsId":"123456","source":1}' ${baseUrl}/open-api/goods/detail`;
}
