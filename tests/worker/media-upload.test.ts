/**
 * POST /api/v1/media against the real worker, UserFeed, D1 and R2 bucket: the contract's answer,
 * what is stored (stripped bytes under a random key, the record), the header and body checks, the
 * size limit, idempotency with the key.
 */
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../schema/api";
import { anonymous, BASE, signup } from "./helpers";
import { bucketKeysOf, getMedia, mediaRow, storedBytes, upload, uploaded } from "./media-helpers";
import { BASE_GIF, BASE_JPEG, BASE_PNG, BASE_WEBP, leaks, metadataGif, metadataPng, metadataWebp, phoneJpeg, text } from "../fixtures/images";

describe("POST /api/v1/media", () => {
  it("201 {media: {id, url, width, height, mimeType}}: a phone's JPEG is stored without its GPS, under a random key", async () => {
    const me = await signup();
    const phone = phoneJpeg({ orientation: 6 });
    expect(leaks(phone)).toContain("48.8584");
    const res = await upload(me, phone, "image/jpeg");
    expect(res.status).toBe(201);
    const media = res.media;
    expect(Object.keys(media).sort()).toEqual(["height", "id", "mimeType", "url", "width"]);
    expect(media).toMatchObject({ url: `/media/${media.id}`, width: 16, height: 24, mimeType: "image/jpeg" });
    expect(media.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    const stored = (await storedBytes(media.id))!;
    expect(leaks(stored)).toEqual([]);
    const row = (await mediaRow(media.id))!;
    expect(row).toMatchObject({ owner_id: me.user.id, mime_type: "image/jpeg", width: 16, height: 24, byte_size: stored.length, post_id: null, deleted_at: null });
    expect(row.storage_key).toMatch(new RegExp(`^media/${me.user.id}/[0-9a-f]{32}$`));
    expect(row.storage_key).not.toContain(media.id); // the key cannot be derived from the id
    // The uploader sees it at once, and what is served is what was stored.
    const served = await getMedia(me, media.url);
    expect(served.status).toBe(200);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(stored);
  });

  it.each([
    ["PNG", metadataPng(), "image/png", [20, 10]],
    ["WebP", metadataWebp(), "image/webp", [24, 16]],
    ["GIF", metadataGif(), "image/gif", [1, 1]],
  ] as const)("stores a %s with its metadata stripped", async (_name, bytes, type, [width, height]) => {
    const me = await signup();
    const media = await uploaded(me, bytes, type);
    expect(media).toMatchObject({ mimeType: type, width, height });
    expect(leaks((await storedBytes(media.id))!)).toEqual([]);
  });

  it("the signature decides the type, not the header: a PNG sent as image/jpeg is stored and served as PNG", async () => {
    const me = await signup();
    const media = await uploaded(me, BASE_PNG, "image/jpeg");
    expect(media.mimeType).toBe("image/png");
    const served = await getMedia(me, media.url);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect((await env.MEDIA.head((await mediaRow(media.id))!.storage_key))!.httpMetadata?.contentType).toBe("image/png");
  });

  it.each([
    ["no Content-Type", BASE_JPEG, null],
    ["application/json", BASE_JPEG, "application/json"],
    ["text/plain", BASE_JPEG, "text/plain"],
    ["application/octet-stream", BASE_JPEG, "application/octet-stream"],
  ])("415 UNSUPPORTED_MEDIA_TYPE for %s", async (_what, bytes, type) => {
    const me = await signup();
    const res = await upload(me, bytes, type);
    expect([res.status, res.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
    expect(await bucketKeysOf(me.user.id)).toEqual([]);
  });

  it.each([
    ["an SVG (script inside) declared image/svg+xml", text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "image/svg+xml"],
    ["HTML declared image/png", text("<!doctype html><script>alert(document.cookie)</script>"), "image/png"],
    ["HEIC declared image/heic", text("\0\0\0\x18ftypheic\0\0\0\0mif1heic"), "image/heic"],
  ])("415 for bytes that are no allowed image: %s", async (_what, bytes, type) => {
    const me = await signup();
    const res = await upload(me, bytes, type);
    expect([res.status, res.code]).toEqual([415, "UNSUPPORTED_MEDIA_TYPE"]);
  });

  it("400 INVALID_IMAGE for a file that is not well-formed (a truncated JPEG, an empty body); nothing stored", async () => {
    const me = await signup();
    const truncated = await upload(me, BASE_JPEG.subarray(0, BASE_JPEG.length - 40), "image/jpeg");
    expect([truncated.status, truncated.code]).toEqual([400, "INVALID_IMAGE"]);
    expect(truncated.body.error.message).toMatch(/JPEG/);
    const empty = await upload(me, new Uint8Array(), "image/png");
    expect([empty.status, empty.code]).toEqual([400, "INVALID_IMAGE"]);
    expect(await bucketKeysOf(me.user.id)).toEqual([]);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM media WHERE owner_id = ?").bind(me.user.id).first<{ n: number }>())!.n).toBe(0);
  });

  it("413 PAYLOAD_TOO_LARGE above 10 MiB, declared or streamed; exactly 10 MiB is read", async () => {
    const me = await signup();
    const over = new Uint8Array(LIMITS.mediaMaxBytes + 1);
    over.set(BASE_PNG.subarray(0, 8));
    const declared = await upload(me, over, "image/png");
    expect([declared.status, declared.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    expect(declared.body.error.details).toEqual({ maxBytes: LIMITS.mediaMaxBytes });
    // A body without Content-Length (chunked): counted while read.
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent <= LIMITS.mediaMaxBytes; sent += 1 << 20) controller.enqueue(new Uint8Array(1 << 20));
        controller.close();
      },
    });
    const streamed = await upload(me, stream, "image/png");
    expect([streamed.status, streamed.code]).toEqual([413, "PAYLOAD_TOO_LARGE"]);
    // At the limit the bytes are read and judged as an image (this one is a PNG signature and zeros).
    const atLimit = over.subarray(0, LIMITS.mediaMaxBytes);
    const judged = await upload(me, atLimit, "image/png");
    expect([judged.status, judged.code]).toEqual([400, "INVALID_IMAGE"]);
  });

  it("401 without a session, 403 from another origin; the JSON routes keep their 64 KiB and JSON rules", async () => {
    const res = await upload(anonymous(), BASE_JPEG, "image/jpeg");
    expect([res.status, res.code]).toEqual([401, "UNAUTHENTICATED"]);
    const me = await signup();
    const cross = await upload(me, BASE_JPEG, "image/jpeg", { origin: "https://evil.example" });
    expect([cross.status, cross.code]).toEqual([403, "CSRF_REJECTED"]);
    expect(await bucketKeysOf(me.user.id)).toEqual([]);
    // Only POST /api/v1/media takes raw bytes: a post still must be JSON.
    const post = await exports.default.fetch(
      new Request(`${BASE}/api/v1/posts`, { method: "POST", headers: { cookie: me.cookie, "content-type": "image/jpeg", "x-idempotency-key": "k" }, body: BASE_JPEG }),
    );
    expect(post.status).toBe(415);
  });

  it("idempotent with X-Idempotency-Key: a retry replays the same media and stores nothing twice; other bytes with that key are 422", async () => {
    const me = await signup();
    const key = { "X-Idempotency-Key": crypto.randomUUID() };
    const first = await upload(me, BASE_WEBP, "image/webp", key);
    const again = await upload(me, BASE_WEBP, "image/webp", key);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("x-idempotency-replayed")).toBe("true");
    expect(again.media).toEqual(first.media);
    expect(await bucketKeysOf(me.user.id)).toHaveLength(1);
    const other = await upload(me, BASE_GIF, "image/gif", key);
    expect([other.status, other.code]).toEqual([422, "IDEMPOTENCY_KEY_REUSED"]);
    // Without a key every upload is a new one.
    await uploaded(me, BASE_WEBP, "image/webp");
    expect(await bucketKeysOf(me.user.id)).toHaveLength(2);
  });

  it("nothing in the bucket is reachable by its key: only /media/:id serves, by the rules", async () => {
    const me = await signup();
    const media = await uploaded(me);
    const key = (await mediaRow(media.id))!.storage_key;
    for (const path of [`/${key}`, `/media/${key}`, `/media/${encodeURIComponent(key)}`, `/api/v1/media/${media.id}`]) {
      const res = await getMedia(me, path);
      expect(res.status, path).toBe(404);
    }
  });
});
