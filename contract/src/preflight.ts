// Before any layer runs: can the run judge this server at all? An unreachable server or refused credentials
// would otherwise turn every check red ("0 passed, 110 failed") although the server broke no rule. Both are
// `CannotJudge` (exit 2), one line each, with the curl command that shows the same answer.
import { CannotJudge, networkCause } from "./cannot-judge.ts";
import type { ClientCredentials } from "./credentials.ts";
import { type ApiClient, type ApiRequest, tokenRequest } from "./http.ts";
import { isObject } from "./spec.ts";

export async function preflight(client: ApiClient): Promise<void> {
  for (const app of [client.credentials.main, client.credentials.limited]) {
    if (app) await checkToken(client, app);
  }
}

async function checkToken(client: ApiClient, app: ClientCredentials): Promise<void> {
  const request: ApiRequest = tokenRequest(client.credentials.tenantId, app);
  let res: Awaited<ReturnType<ApiClient["send"]>>;
  try {
    res = await client.send(request);
  } catch (error) {
    throw new CannotJudge(
      `cannot reach ${client.baseUrl} (${networkCause(error)}): check --base-url and that the server is up and ` +
        "reachable from this machine",
    );
  }
  const data = isObject(res.json) && isObject(res.json.data) ? res.json.data : undefined;
  if (res.status === 200 && typeof data?.access_token === "string") return;
  const msg = isObject(res.json) && typeof res.json.msg === "string" ? ` "${res.json.msg.slice(0, 120)}"` : "";
  const what =
    res.status === 400 || res.status === 401 || res.status === 403
      ? `the token endpoint refused $${app.idVar} in tenant $OPENAPI_TENANT_ID`
      : `no token for $${app.idVar} from ${client.baseUrl}`;
  throw new CannotJudge(
    client.redactor.redact(
      `${what} (HTTP ${res.status}${msg}): check ${app.idVar}, ${app.secretVar} and OPENAPI_TENANT_ID ` +
        `(and that --base-url is the API's origin); same answer with: ${client.curl(request)}`,
    ),
  );
}
