// The spec's operations as the SDK sees them: every type here is derived from generated/schema.d.ts.
import type { operations, paths } from "./generated/schema.js";

/** The operations a partner calls with a bearer token (the token endpoints are the SDK's business). */
export type BusinessOperationId = Exclude<keyof operations, "issueToken" | "revokeToken">;

/** The JSON request body of an operation. */
export type RequestBody<K extends BusinessOperationId> = operations[K]["requestBody"]["content"]["application/json"];

/** The `data` of an operation's success envelope (the one with `code: 0`). */
export type ResultData<K extends BusinessOperationId> = SuccessData<
  operations[K]["responses"][200]["content"]["application/json"]
>;

/** The `data` of the `code: 0` member of an envelope union. */
export type SuccessData<Envelope> = Extract<Envelope, { code: 0 }> extends { data: infer Data } ? Data : never;

/** Per-call options of every operation method. */
export interface CallOptions {
  /** Aborts the call, including any wait between retries. */
  signal?: AbortSignal;
}

/** One async method per business operation, resolving to the envelope's `data`. */
export type OperationMethods = {
  [K in BusinessOperationId]: (body: RequestBody<K>, options?: CallOptions) => Promise<ResultData<K>>;
};

// The SDK sets tenant-id on every request itself, so the openapi-fetch client it hands out does not ask for it.
type WithoutTenantHeader<Operation> = Operation extends { parameters: { header: { "tenant-id": string } } }
  ? Omit<Operation, "parameters"> & { parameters: Omit<Operation["parameters"], "header"> & { header?: never } }
  : Operation;

/** The spec's paths with the tenant-id header left to the SDK. */
export type PartnerPaths = {
  [Path in keyof paths]: { [Method in keyof paths[Path]]: WithoutTenantHeader<paths[Path][Method]> };
};

type PathOf<Operation> = { [P in keyof paths]: paths[P]["post"] extends Operation ? P : never }[keyof paths];

/** Which operation a path belongs to; a spec operation missing here is a compile error. */
export const OPERATION_PATHS = {
  issueToken: "/open-api/system/oauth2/token",
  revokeToken: "/open-api/system/oauth2/token/revoke",
  getGoodsDetail: "/open-api/goods/detail",
  getGoodsQcDetail: "/open-api/goods/qc-detail",
  listGoodsQcImages: "/open-api/goods/qc-images",
  pageGoodsQc: "/open-api/goods/qc-page",
  searchGoodsByImage: "/open-api/goods/search-by-images",
  parseGoodsUrl: "/open-api/goods/search-url-parse",
  redeemCouponCode: "/open-api/promotion/redeem-code/redeem",
} as const satisfies { [K in keyof operations]: PathOf<operations[K]> };

/** The operations that authenticate with the client credentials (HTTP Basic) instead of a bearer token. */
export const CLIENT_CREDENTIAL_OPERATIONS: ReadonlySet<string> = new Set([
  "issueToken",
  "revokeToken",
] satisfies (keyof typeof OPERATION_PATHS)[]);

const OPERATION_BY_PATH: ReadonlyMap<string, string> = new Map(
  Object.entries(OPERATION_PATHS).map(([operationId, path]) => [path, operationId]),
);

/** The operationId of a request path, or the path itself when it is not in the spec. */
export function operationIdOf(pathname: string, basePath: string): string {
  const path = pathname.startsWith(basePath) ? pathname.slice(basePath.length) : pathname;
  return OPERATION_BY_PATH.get(path) ?? path;
}
