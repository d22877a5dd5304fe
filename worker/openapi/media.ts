/** Photo uploads (worker/routes/media.ts). GET /media/:id serves the bytes outside /api/v1 (README API section). */
import { LIMITS, MEDIA_TYPES } from "../../schema/api";
import { mediaResponseSchema } from "../../schema/responses";
import { routes } from "./route";

export const mediaRoutesDoc = routes({
  method: "post",
  path: "/api/v1/media",
  operationId: "uploadMedia",
  tag: "media",
  summary: "Upload a photo",
  description:
    `The raw image, at most ${LIMITS.mediaMaxBytes / 1024 / 1024} MiB: the one route whose body is not JSON. The type is read from ` +
    "the bytes' own signature (JPEG, PNG, WebP, GIF), never from the header; EXIF, XMP, GPS and comments are stripped before " +
    "anything is stored. Attach it to a post with `media: [{id, alt}]` on POST /posts, or make it your avatar with " +
    "`avatarMediaId` on PATCH /users/me. Limited to MEDIA_RATE_LIMIT_PER_MINUTE uploads per user.",
  session: true,
  rawBody: { contentTypes: MEDIA_TYPES, description: "The image's bytes." },
  idempotency: "accepted",
  success: { status: 201, description: "The stored upload.", data: mediaResponseSchema },
  errors: { 400: ["INVALID_IMAGE"], 413: ["PAYLOAD_TOO_LARGE"], 415: ["UNSUPPORTED_MEDIA_TYPE"], 429: ["RATE_LIMITED"] },
});
