// One handler per operationId of the spec: a spec operation without a handler here does not compile. Handlers see
// only authenticated callers and validated bodies; they answer a success (or business-error) body, or a protocol
// error for the few checks that need the body (grant type, scopes).
import type { Caller, SecurityModel } from "./auth.ts";
import type { DomainPort } from "./domain-port.ts";
import { errors, type ProtocolError } from "./envelope.ts";
import type { BusinessResult, OkBody, RequestBody } from "./operation-types.ts";
import type { OperationId } from "./spec.ts";
import { allScopes } from "./store.ts";

export interface HandlerContext<K extends OperationId> {
  body: RequestBody<K>;
  caller: Caller;
  now: number;
}

export type HandlerResult<K extends OperationId> = { status: 200; body: OkBody<K> } | ProtocolError;
export type Handler<K extends OperationId> = (ctx: HandlerContext<K>) => HandlerResult<K> | Promise<HandlerResult<K>>;
export type Handlers = { [K in OperationId]: Handler<K> };

/** Applies `next` to a value or a promise of it, staying synchronous when the domain answered synchronously. */
function then<T, R>(value: T | Promise<T>, next: (settled: T) => R): R | Promise<R> {
  return value instanceof Promise ? value.then(next) : next(value);
}

/** A business result in the envelope: data with code 0, or the business error with HTTP 200. */
function envelope<T>(result: BusinessResult<T>) {
  return {
    status: 200 as const,
    body: result.ok
      ? { code: 0 as const, data: result.data, msg: "" }
      : { code: result.code, data: null, msg: result.msg },
  };
}

/**
 * For operations whose spec lists no business error: a business error from the domain has no contract-conform
 * answer, so it is a sandbox bug and answers 500 (logged by the server).
 */
function dataOnly<T>(operation: OperationId, result: BusinessResult<T>) {
  if (result.ok) return { status: 200 as const, body: { code: 0 as const, data: result.data, msg: "" } };
  return {
    ...errors.internal(),
    cause: `${operation}: the domain answered business error ${result.code} "${result.msg}", which the spec does not list`,
  };
}

export function createHandlers(deps: { security: SecurityModel; domain: DomainPort; tokenTtlSeconds: number }) {
  const { security, domain } = deps;
  return {
    issueToken: ({ body, caller, now }) => {
      if (body.grant_type !== "client_credentials") {
        return errors.badRequest("the open platform only supports the client_credentials grant");
      }
      let scopes: string[];
      if (body.scope === undefined) {
        scopes = allScopes.filter((scope) => caller.app.scopes.has(scope));
      } else {
        scopes = [...new Set(body.scope.split(" ").filter(Boolean))];
        const refused = scopes.find((scope) => !caller.app.scopes.has(scope));
        if (refused) return errors.badRequest(`invalid scope: ${refused} is not granted to this application`);
      }
      if (scopes.length === 0) {
        return errors.badRequest("invalid scope: this application has no scope granted; ask operations to grant one");
      }
      const issued = security.tokens.issue({
        clientId: caller.app.clientId,
        tenantId: caller.tenantId,
        scopes,
        ttlSeconds: deps.tokenTtlSeconds,
        now,
      });
      return then(issued, (token) => ({
        status: 200 as const,
        body: {
          code: 0 as const,
          data: {
            access_token: token,
            refresh_token: "",
            token_type: "Bearer" as const,
            expires_in: deps.tokenTtlSeconds,
            scope: scopes.join(" "),
          },
          msg: "",
        },
      }));
    },
    revokeToken: ({ body, caller, now }) =>
      then(security.revoke(caller.app.clientId, body.token, now), () => ({
        status: 200 as const,
        body: { code: 0 as const, data: true as const, msg: "" },
      })),
    getGoodsDetail: ({ body }) => then(domain.goodsDetail(body), envelope),
    getGoodsQcDetail: ({ body }) => then(domain.qcDetail(body), envelope),
    listGoodsQcImages: ({ body }) => then(domain.qcImages(body), (r) => dataOnly("listGoodsQcImages", r)),
    pageGoodsQc: ({ body }) => then(domain.qcPage(body), (r) => dataOnly("pageGoodsQc", r)),
    searchGoodsByImage: ({ body }) => then(domain.searchByImage(body), (r) => dataOnly("searchGoodsByImage", r)),
    parseGoodsUrl: ({ body }) => then(domain.parseGoodsUrl(body), envelope),
    redeemCouponCode: ({ body, caller, now }) =>
      then(
        domain.redeem(body, {
          appId: caller.app.clientId,
          tenantId: caller.tenantId,
          clientIp: caller.clientIp,
          now: new Date(now),
        }),
        envelope,
      ),
  } satisfies Handlers;
}
