// The local sandbox's demo applications as the docs show them (guide, console, environment.json). The one source is
// mock/sandbox/store.ts, which seeds them into every new sandbox store: change them there.
import { demoApps } from "../mock/sandbox/store.ts";
import type { DocsEnvironment } from "./served-page.ts";

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
