/** Uploading an image (POST /media): the bytes to R2 under a random key, the record to D1. */
import type { MediaResponse } from "../../schema/api";
import { findMedia, insertMediaStatement, newStorageKey, toMedia, UNPOSTED_TTL_MS } from "../media/records";
import { consumeRateLimit } from "../rate-limit";
import type { OpContext } from "./context";
import type { MutationResult, UploadedImage } from "./types";

/**
 * The media id is the id reserved for this mutation (its idempotency record holds it), so a retry
 * after a crash finds the record it already wrote instead of storing the image twice. The bytes go
 * to the bucket before the row exists: a row never names missing bytes. Each upload schedules the
 * owner's media sweep for when its 24 hours end (the effect), which removes it if no post took it.
 */
export async function uploadMedia(ctx: OpContext, image: UploadedImage, bytes: Uint8Array): Promise<MutationResult> {
  const { db, viewerId, reservedId: id, now } = ctx;
  await consumeRateLimit(db, `media:${viewerId}`, ctx.config.mediaRateLimitPerMinute, now);
  let record = await findMedia(db, id);
  if (!record) {
    const storageKey = newStorageKey(viewerId);
    await ctx.media.put(storageKey, bytes, {
      httpMetadata: { contentType: image.mimeType },
      customMetadata: { mediaId: id, ownerId: viewerId, sha256: image.sha256 },
    });
    const row = { id, owner_id: viewerId, storage_key: storageKey, mime_type: image.mimeType, width: image.width, height: image.height, byte_size: bytes.length, created_at: now };
    await insertMediaStatement(db, row).run();
    record = { ...row, post_id: null, deleted_at: null };
  }
  const body: MediaResponse = { media: toMedia(record) };
  return { status: 201, body, effects: [{ type: "mediaSweepDue", at: record.created_at + UNPOSTED_TTL_MS + 1000 }] };
}
