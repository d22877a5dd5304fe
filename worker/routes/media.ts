/**
 * Media (API.md): the upload (POST /api/v1/media, the one route whose body is not JSON) and the
 * image itself (GET /media/:id), served through the worker only, with its post's privacy.
 */
import { readDb } from "../lib/d1";
import { Hono } from "hono";
import { LIMITS } from "../../schema/api";
import { ID_PATTERN } from "../../schema/ids";
import { ApiError } from "../../core/errors";
import { cleanImage } from "../../core/media/image";
import { mediaForViewer } from "../../core/media/records";
import { readLimited } from "../middleware/body-guard";
import { mutate } from "../lib/mutate";
import { requireSession, sessionClaim } from "../lib/session";
import type { AppEnv } from "../types";

/** A header naming some image type: what the upload must declare (the bytes then decide which). */
const IMAGE_HEADER = /^image\/[a-z0-9][a-z0-9.+-]*$/;

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

export const mediaUploadRoutes = new Hono<AppEnv>().use(requireSession).post("/", async (c) => {
  const declared = (c.req.header("content-type") ?? "").split(";")[0].trim().toLowerCase();
  if (!IMAGE_HEADER.test(declared))
    throw new ApiError(415, "UNSUPPORTED_MEDIA_TYPE", "Send the image's bytes with an image Content-Type (image/jpeg, image/png, image/webp or image/gif).");
  const tooLarge = () => new ApiError(413, "PAYLOAD_TOO_LARGE", `Images are limited to ${LIMITS.mediaMaxBytes} bytes.`, { maxBytes: LIMITS.mediaMaxBytes });
  if (Number(c.req.header("content-length") ?? "0") > LIMITS.mediaMaxBytes) throw tooLarge();
  let raw: Uint8Array;
  try {
    raw = c.req.raw.body ? await readLimited(c.req.raw.body, LIMITS.mediaMaxBytes) : new Uint8Array();
  } catch (error) {
    throw error instanceof ApiError && error.status === 413 ? tooLarge() : error;
  }
  // Checked and stripped here, at the edge, before any object is woken (core/media/image.ts).
  const image = cleanImage(raw);
  const { mimeType, width, height, bytes } = image;
  return mutate(c, { kind: "uploadMedia", image: { mimeType, width, height, sha256: await sha256Hex(bytes) }, bytes });
});

/** 404 for anything the viewer may not see, and for what does not exist: the same answer, never cached. */
function notFound(): Response {
  const body = new ApiError(404, "NOT_FOUND", "No such image.").toBody();
  return Response.json(body, { status: 404, headers: { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" } });
}

/**
 * GET /media/:id: the bytes with their stored type, inline, never sniffed. Public post media and
 * avatars may be cached by anyone for a day (API.md: a deleted photo cannot be recalled from a
 * browser's cache, so not longer). Everything else is `private, no-cache`: a browser keeps it but
 * asks again each time (a 304 when unchanged), so a viewer who loses access (an unfriending, a
 * deleted post) gets the 404 at once. Not put in the edge cache: a deleted post's images must 404
 * everywhere at once, and R2 answers each request itself.
 */
export const mediaRoutes = new Hono<AppEnv>().get("/:id", async (c) => {
  const id = c.req.param("id");
  if (!ID_PATTERN.test(id)) return notFound();
  const found = await mediaForViewer((await readDb(c)), id, await sessionClaim(c), Date.now());
  if (!found) return notFound();
  const object = await c.env.MEDIA.get(found.storage_key, { onlyIf: c.req.raw.headers });
  if (!object) return notFound(); // removed by the sweep a moment ago
  const headers = new Headers({
    "Content-Type": found.mime_type,
    "Content-Disposition": "inline",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": found.public === 1 ? "public, max-age=86400" : "private, no-cache",
    // An image never runs anything; should a browser render it as a document, it may do nothing else.
    "Content-Security-Policy": "default-src 'none'; sandbox",
    ETag: object.httpEtag,
  });
  if (found.public !== 1) headers.set("Cross-Origin-Resource-Policy", "same-origin");
  if (!("body" in object)) return new Response(null, { status: 304, headers });
  headers.set("Content-Length", String(object.size));
  return new Response(object.body, { status: 200, headers });
});
