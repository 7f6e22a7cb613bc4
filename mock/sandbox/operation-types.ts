// Types of each operation's request and answers, derived from generated/schema.d.ts (never written by hand).
import type { operations } from "../../generated/schema.js";
import type { OperationId } from "./spec.ts";

type ContentOf<T> = T extends { content: infer C } ? C[keyof C] : never;

/** The request body of an operation, as its schema describes it (already validated when a handler sees it). */
export type RequestBody<K extends OperationId> = ContentOf<operations[K]["requestBody"]>;

/** The HTTP 200 body of an operation: its success envelope, or a business-error envelope where it has those. */
export type OkBody<K extends OperationId> = ContentOf<operations[K]["responses"][200]>;

/** The `data` of an operation's success envelope. */
export type SuccessData<K extends OperationId> = Extract<OkBody<K>, { code: 0 }>["data"];

/** What the business logic answers: data, or a business error (answered as HTTP 200 with a non-zero code). */
export type BusinessResult<T> = { ok: true; data: T } | { ok: false; code: number; msg: string };
