import type { Context } from "hono";
import { deserializeApiError, type JsonOutcome } from "../errors";

/** A success envelope around `data` that an object already serialized, or its error thrown. */
export function jsonEnvelope(c: Context, status: number, result: JsonOutcome): Response {
  if (result.ok === false) throw deserializeApiError(result.error);
  return c.body(`{"success":true,"data":${result.json}}`, status as 200, { "Content-Type": "application/json; charset=UTF-8" });
}
