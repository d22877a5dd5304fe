/**
 * How a route of the public API is described for the OpenAPI document: the same zod schemas the
 * route validates with (schema/api.ts) and answers with (schema/responses.ts), plus what only
 * the contract (API.md) says: its error codes. The routes themselves stay plain Hono
 * (worker/routes/); tests/worker/openapi.test.ts checks that this list and the app's routes are
 * the same set, so a route added without its description fails there.
 */
import type { z } from "zod";
import type { ErrorCode } from "../../schema/api";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI form, `{name}` for a path parameter: `/api/v1/users/{username}/follow`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Needs the session cookie: 401 UNAUTHENTICATED without a valid one. */
  session: boolean;
  /** Path parameters, each with what it names. */
  params?: Record<string, string>;
  /** The query validator the route uses (each field becomes a query parameter). */
  query?: z.ZodObject;
  /** The JSON body validator the route uses. */
  body?: z.ZodType;
  /** A body that is not JSON (the one upload route): the content types it takes, and what it is. */
  rawBody?: { contentTypes: readonly string[]; description: string };
  /** `X-Idempotency-Key`: required (400 without it) or accepted (honoured when sent). */
  idempotency?: "required" | "accepted";
  success: {
    status: 101 | 200 | 201;
    description: string;
    /** The `data` of the success envelope; absent for a 101. */
    data?: z.ZodType;
    /** The body is this schema itself, outside the envelope (the OpenAPI document). */
    bare?: z.ZodType;
    /** Sets or clears the session cookie. */
    setsCookie?: boolean;
    /** Carries an ETag and answers 304 to a matching If-None-Match. */
    conditional?: boolean;
  };
  /** This route's own error codes; the ones every route of its kind has are added (./errors.ts). */
  errors?: Partial<Record<ErrorStatus, ErrorCode[]>>;
}

/** A list of routes, type-checked (one file per area). */
export const routes = (...list: ApiRoute[]): ApiRoute[] => list;
