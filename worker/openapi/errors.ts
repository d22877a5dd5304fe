/**
 * The error codes of a route, by status: its own (ApiRoute.errors, from API.md) and those every
 * route of its kind has, because of the middleware and helpers it goes through:
 * - a session route: 401 UNAUTHENTICATED (worker/lib/session.ts);
 * - a mutating method: worker/middleware/body-guard.ts (403 CSRF_REJECTED, 413, 415, 400 INVALID_JSON);
 * - a validated body or query: 400 VALIDATION_ERROR (worker/lib/validate.ts);
 * - a mutation under an idempotency key: 400 INVALID_IDEMPOTENCY_KEY (and MISSING when required),
 *   422 IDEMPOTENCY_KEY_REUSED (worker/lib/mutate.ts).
 */
import type { ErrorCode } from "../../schema/api";
import type { ApiRoute, ErrorStatus } from "./route";

const MUTATING = new Set(["post", "put", "patch", "delete"]);

export function errorCodesOf(route: ApiRoute): Map<ErrorStatus, ErrorCode[]> {
  const byStatus = new Map<ErrorStatus, Set<ErrorCode>>();
  const add = (status: ErrorStatus, ...codes: ErrorCode[]) => {
    const set = byStatus.get(status) ?? new Set<ErrorCode>();
    for (const code of codes) set.add(code);
    byStatus.set(status, set);
  };
  if (MUTATING.has(route.method)) {
    add(400, "INVALID_JSON");
    add(403, "CSRF_REJECTED");
    add(413, "PAYLOAD_TOO_LARGE");
    add(415, "UNSUPPORTED_MEDIA_TYPE");
  }
  if (route.body || route.query) add(400, "VALIDATION_ERROR");
  if (route.session) add(401, "UNAUTHENTICATED");
  if (route.idempotency) {
    add(400, "INVALID_IDEMPOTENCY_KEY");
    if (route.idempotency === "required") add(400, "MISSING_IDEMPOTENCY_KEY");
    add(422, "IDEMPOTENCY_KEY_REUSED");
  }
  for (const [status, codes] of Object.entries(route.errors ?? {})) add(Number(status) as ErrorStatus, ...(codes ?? []));
  return new Map([...byStatus].sort(([a], [b]) => a - b).map(([status, codes]) => [status, [...codes]]));
}

export const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: "Bad request: the code says which rule the input broke.",
  401: "No valid session (or wrong credentials).",
  403: "Not allowed: another origin, or not yours to change.",
  404: "Absent, or hidden from this viewer (the two are indistinguishable).",
  409: "Conflict with existing data.",
  413: "The body is larger than 64 KiB.",
  415: "A body that is not application/json.",
  422: "This idempotency key was used with a different request.",
  429: "Rate limited: retry after `Retry-After` seconds (also `details.retryAfterSeconds`).",
};
