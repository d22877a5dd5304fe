/**
 * Guards every mutating API request before any route sees it:
 * - an `Origin` naming another origin is a cross-site request: 403 CSRF_REJECTED (hono's csrf()
 *   lets application/json through, so the check is ours);
 * - a body must be application/json (415) and at most 64 KiB (413), and must parse (400 INVALID_JSON),
 *   except on the one route whose body is not JSON: POST /api/v1/media, raw image bytes up to
 *   10 MiB, which that route reads and limits itself (worker/routes/media.ts).
 * The parsed body is left in Hono's body cache, where the validators read it.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { LIMITS } from "../../schema/api";
import { ApiError } from "../../core/errors";
import type { AppEnv } from "../types";

const MUTATING = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** The one non-JSON body (API.md Media): its route checks type and size (worker/routes/media.ts). */
export const RAW_BODY_ROUTE = { method: "POST", path: "/api/v1/media" } as const;

export async function readLimited(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw new ApiError(413, "PAYLOAD_TOO_LARGE", `Request bodies are limited to ${max} bytes.`, { maxBytes: max });
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) (out.set(chunk, offset), (offset += chunk.byteLength));
  return out;
}

/** Throws 403 CSRF_REJECTED when the request's `Origin` names another origin. */
export function rejectCrossOrigin(c: Context<AppEnv>): void {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin) {
    throw new ApiError(403, "CSRF_REJECTED", "Cross-origin requests may not change anything.");
  }
}

export const bodyGuard = createMiddleware<AppEnv>(async function bodyGuard(c, next) {
  if (!MUTATING.has(c.req.method)) return next();
  rejectCrossOrigin(c);
  if (c.req.method === RAW_BODY_ROUTE.method && c.req.path === RAW_BODY_ROUTE.path) return next();
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > LIMITS.bodyMaxBytes) {
    throw new ApiError(413, "PAYLOAD_TOO_LARGE", `Request bodies are limited to ${LIMITS.bodyMaxBytes} bytes.`, { maxBytes: LIMITS.bodyMaxBytes });
  }
  const raw = c.req.raw.body ? await readLimited(c.req.raw.body, LIMITS.bodyMaxBytes) : new Uint8Array();
  let parsed: unknown = {};
  if (raw.byteLength > 0) {
    const type = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
    if (type !== "application/json") throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Request bodies must be application/json.");
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
    } catch {
      throw new ApiError(400, "INVALID_JSON", "The request body is not valid JSON.");
    }
  }
  // Validators read the body through Hono's cache, which now holds what we parsed (or {} for none).
  c.req.bodyCache.json = Promise.resolve(parsed);
  await next();
});
