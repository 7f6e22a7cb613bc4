// Credentials come from the environment only, and every value that could open the API (secrets, tokens) is
// registered here so that anything the runner prints passes through `redact` first.
import { CannotJudge } from "./cannot-judge.ts";

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
  /** The environment variables a reproduction command names instead of the values. */
  idVar: string;
  secretVar: string;
}

export interface Credentials {
  main: ClientCredentials;
  limited?: ClientCredentials;
  tenantId: string;
}

export const envNames = {
  clientId: "OPENAPI_CLIENT_ID",
  clientSecret: "OPENAPI_CLIENT_SECRET",
  tenantId: "OPENAPI_TENANT_ID",
  limitedClientId: "OPENAPI_LIMITED_CLIENT_ID",
  limitedClientSecret: "OPENAPI_LIMITED_CLIENT_SECRET",
} as const;

export function readCredentials(env: NodeJS.ProcessEnv): Credentials {
  const missing = [envNames.clientId, envNames.clientSecret, envNames.tenantId].filter((name) => !env[name]);
  if (missing.length > 0) {
    throw new CannotJudge(
      `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} not set: export the credentials of an application ` +
        "that holds every scope the spec declares (the sandbox prints its demo credentials on start)",
    );
  }
  const main: ClientCredentials = {
    clientId: env[envNames.clientId] as string,
    clientSecret: env[envNames.clientSecret] as string,
    idVar: envNames.clientId,
    secretVar: envNames.clientSecret,
  };
  const limitedId = env[envNames.limitedClientId];
  const limitedSecret = env[envNames.limitedClientSecret];
  if (Boolean(limitedId) !== Boolean(limitedSecret)) {
    throw new CannotJudge(
      `set both ${envNames.limitedClientId} and ${envNames.limitedClientSecret} (a second application with fewer scopes), or neither`,
    );
  }
  const limited =
    limitedId && limitedSecret
      ? {
          clientId: limitedId,
          clientSecret: limitedSecret,
          idVar: envNames.limitedClientId,
          secretVar: envNames.limitedClientSecret,
        }
      : undefined;
  return { main, limited, tenantId: env[envNames.tenantId] as string };
}

/** Shows enough of a token to tell two apart in a log, never enough to use it. */
export function maskToken(token: string): string {
  return token.length <= 8 ? "****" : `${token.slice(0, 4)}…(${token.length} chars)`;
}

/** Every secret and token the run has seen; `redact` replaces them in any text before it is printed or written. */
export class Redactor {
  private readonly values = new Map<string, string>();

  addSecret(value: string, name: string): void {
    if (value.length >= 4) this.values.set(value, `$${name}`);
  }

  addToken(token: string): void {
    if (token.length >= 8) this.values.set(token, maskToken(token));
  }

  redact(text: string): string {
    let out = text;
    // Longest first, so that a token that contains a secret is masked whole.
    for (const [value, mask] of [...this.values].sort((a, b) => b[0].length - a[0].length)) {
      out = out.split(value).join(mask);
    }
    return out;
  }
}
