"""Schemathesis 4.x auth hook for the Rizzit Open Platform API (loaded by `hooks = "rizzit_auth"` in
schemathesis.toml, or SCHEMATHESIS_HOOKS=rizzit_auth).

Every business operation (security scheme openApiOAuth2) needs a client-credentials access token: this hook
obtains one from the token endpoint, with the application's clientId/clientSecret as HTTP Basic and the tenant-id
header, exactly as the integration guide describes, and sends it as `Authorization: Bearer ...`. Schemathesis caches
it for `refresh_interval` seconds, well inside the token's lifetime. The two token operations themselves use HTTP
Basic, set by `[auth.openapi.clientBasic]` in schemathesis.toml, so this hook skips them.
"""

import os

import requests
import schemathesis

TOKEN_PATH = "/open-api/system/oauth2/token"
TOKEN_OPERATIONS = ["issueToken", "revokeToken"]


def _env(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise RuntimeError(
            f"{name} is not set: export OPENAPI_CLIENT_ID, OPENAPI_CLIENT_SECRET and OPENAPI_TENANT_ID "
            "(an application holding every scope) before running Schemathesis"
        )
    return value


@schemathesis.auth(refresh_interval=240).skip_for(operation_id=TOKEN_OPERATIONS)
class ClientCredentialsToken:
    """OAuth2 client credentials (RFC 6749 section 4.4) against the platform's token endpoint."""

    def get(self, case, ctx):
        base_url = (case.operation.base_url or case.operation.schema.get_base_url()).rstrip("/")
        response = requests.post(
            base_url + TOKEN_PATH,
            auth=(_env("OPENAPI_CLIENT_ID"), _env("OPENAPI_CLIENT_SECRET")),
            headers={"tenant-id": _env("OPENAPI_TENANT_ID")},
            data={"grant_type": "client_credentials"},
            timeout=15,
        )
        try:
            body = response.json()
        except ValueError:
            body = {}
        token = (body.get("data") or {}).get("access_token") if isinstance(body, dict) else None
        if response.status_code != 200 or not token:
            # The message names the variables, never their values.
            raise RuntimeError(
                f"the token endpoint answered HTTP {response.status_code} {str(body.get('msg', ''))[:120]!r}: "
                "check OPENAPI_CLIENT_ID, OPENAPI_CLIENT_SECRET, OPENAPI_TENANT_ID and the base URL"
            )
        return token

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"
