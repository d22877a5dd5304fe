/**
 * One typed error, thrown anywhere, turned into the envelope in one place (worker/app.ts).
 * Like hono's HTTPException: bad requests throw ApiError; anything else is a bug and becomes a
 * logged 500 INTERNAL_ERROR without leaking internals.
 */
import type { ApiFailure, ErrorCode } from "../schema/api";

/** JSON-safe values: what `details` may hold, so errors cross Durable Object RPC intact. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type ErrorDetails = { [key: string]: JsonValue };

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ApiFailure {
    return { success: false, error: { code: this.code, message: this.message, ...(this.details ? { details: this.details } : {}) } };
  }
}

export const notFound = (code: "NOT_FOUND" | "USER_NOT_FOUND" | "POST_NOT_FOUND" | "COMMENT_NOT_FOUND", what: string) => new ApiError(404, code, `${what} not found`);

/** Errors cross Durable Object RPC as plain Errors; this carries an ApiError over and back. */
export interface SerializedApiError {
  status: ApiError["status"];
  code: ErrorCode;
  message: string;
  /** JSON text: a flat type that RPC's structural typing handles (a recursive JSON type it cannot). */
  detailsJson?: string;
  headers?: Record<string, string>;
}
export function serializeApiError(error: ApiError): SerializedApiError {
  return {
    status: error.status,
    code: error.code,
    message: error.message,
    detailsJson: error.details ? JSON.stringify(error.details) : undefined,
    headers: error.headers,
  };
}
export function deserializeApiError(e: SerializedApiError): ApiError {
  return new ApiError(e.status, e.code, e.message, e.detailsJson ? (JSON.parse(e.detailsJson) as ErrorDetails) : undefined, e.headers);
}

/**
 * The one shape that crosses RPC from an object to the worker: the success status with its `data`
 * as JSON text (cheap to pass, sent as is, replayed byte for byte), or a client error that survives
 * the trip as an ApiError. `replayed`: an idempotent repeat answered from the stored first response.
 */
/** `bookmark`: after a mutation, the D1 bookmark its user's object holds (the worker's reads may start from it). */
export type Outcome = ({ ok: true; status: number; json: string; bookmark?: string | null } | { ok: false; error: SerializedApiError }) & { replayed?: boolean };

export async function jsonOutcome(work: () => Promise<unknown> | unknown, status = 200): Promise<Outcome> {
  try {
    return { ok: true, status, json: JSON.stringify(await work()) };
  } catch (error) {
    if (error instanceof ApiError) return { ok: false, error: serializeApiError(error) };
    throw error;
  }
}
