// @rizzit/open-api-client: the typed partner SDK of the Rizzit Open Platform API.
export { createOpenApiClient, type OpenApiClient, type OpenApiClientOptions } from "./src/client.js";
export { OpenApiError, type OpenApiErrorDetails, type OpenApiErrorKind } from "./src/errors.js";
export {
  BUSINESS_ERRORS,
  BusinessCode,
  type BusinessErrorInfo,
  type BusinessErrorLanguage,
  type BusinessKey,
  businessErrorOf,
} from "./src/generated/business-codes.js";
export type { components, operations, paths } from "./src/generated/schema.js";
export type {
  BusinessOperationId,
  CallOptions,
  OperationMethods,
  PartnerPaths,
  RequestBody,
  ResultData,
} from "./src/operations.js";
export type { ImageSearchIterationQuery, QcIterationQuery } from "./src/pagination.js";
export { DEFAULT_RETRY, parseRetryAfter, type RetryOptions, retryDelay, shouldRetry } from "./src/retry.js";
export type { ClientHooks, FetchLike } from "./src/transport.js";
