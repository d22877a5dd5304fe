import type { Context } from "hono";
import { deserializeApiError, type Outcome } from "../../core/errors";

/** A success envelope around `data` that an object already serialized, or its error thrown. */
export function jsonEnvelope(c: Context, result: Outcome): Response {
  if (result.replayed) c.header("X-Idempotency-Replayed", "true");
  if (result.ok === false) throw deserializeApiError(result.error);
  return c.body(`{"success":true,"data":${result.json}}`, result.status as 200, { "Content-Type": "application/json; charset=UTF-8" });
}
