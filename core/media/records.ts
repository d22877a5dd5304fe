/**
 * Media records in D1 (schema/tables.ts `media`) and the rules about them, each defined once:
 * who may see an upload (GET /media/:id), which uploads a post or an avatar may take, and which
 * may be removed by the owner's media sweep (a durable job in the owner's UserFeed).
 */
import type { Db } from "../d1";
import type { Media, MediaType } from "../../schema/api";
import { jsonIds } from "../db";
import { postVisibleSql } from "../posts";
import { sessionViewerSql } from "../sessions";
import { mediaUrl } from "./post-media";

/** Uploads never posted are removed after this (API.md Media). */
export const UNPOSTED_TTL_MS = 24 * 3_600_000;

export interface MediaRecord {
  id: string;
  owner_id: string;
  storage_key: string;
  mime_type: MediaType;
  width: number;
  height: number;
  byte_size: number;
  post_id: string | null;
  created_at: number;
  deleted_at: number | null;
}

/** `media/<owner>/<128 random bits, hex>`: unguessable, and an owner's objects share a prefix. */
export function newStorageKey(ownerId: string): string {
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `media/${ownerId}/${random}`;
}

export const toMedia = (r: Pick<MediaRecord, "id" | "width" | "height" | "mime_type">): Media => ({
  id: r.id,
  url: mediaUrl(r.id),
  width: r.width,
  height: r.height,
  mimeType: r.mime_type,
});

/** SQL: upload `m` is its owner's avatar now (users.avatar_url names it). */
export const IS_AVATAR_SQL = `EXISTS (SELECT 1 FROM users au WHERE au.id = m.owner_id AND au.avatar_url = '/media/' || m.id)`;

/**
 * SQL: `viewer` (a parameter, a column, or NULL for nobody signed in) may see upload `m`. In a post:
 * whoever may see the post (postVisibleSql, the one privacy rule); not in a post: its uploader,
 * or anyone when it is the uploader's avatar. A deleted post's media: nobody, at once.
 */
export const mediaVisibleSql = (viewer: string) => `(m.deleted_at IS NULL AND CASE WHEN m.post_id IS NOT NULL
    THEN EXISTS (SELECT 1 FROM posts p WHERE p.id = m.post_id AND ${postVisibleSql(viewer)})
    ELSE (m.owner_id = ${viewer} OR ${IS_AVATAR_SQL}) END)`;

/** SQL: anyone may see `m`, signed in or not (public post media, avatars): what may be cached publicly. */
export const MEDIA_PUBLIC_SQL = mediaVisibleSql("NULL");

/** SQL: `m` is owner `owner`'s upload that no post has taken, not deleted, within its 24 hours at `now`. */
export const unpostedUploadSql = (owner: string, now: string) =>
  `(m.owner_id = ${owner} AND m.post_id IS NULL AND m.deleted_at IS NULL AND m.created_at > ${now} - ${UNPOSTED_TTL_MS})`;

/** SQL: what a new post may take: an unposted upload of the poster that is not the poster's avatar. */
export const attachableSql = (owner: string, now: string) => `(${unpostedUploadSql(owner, now)} AND NOT ${IS_AVATAR_SQL})`;

/** SQL: what may become the avatar: an unposted upload of the user, or the avatar it already is. */
export const avatarableSql = (owner: string, now: string) => `(${unpostedUploadSql(owner, now)} OR (m.owner_id = ${owner} AND m.deleted_at IS NULL AND ${IS_AVATAR_SQL}))`;

/** SQL: owner ?1's uploads whose bytes may go at ?2: a deleted post's, or never posted for 24 hours and not the avatar. */
const SWEEPABLE_SQL = `(m.owner_id = ?1 AND (m.deleted_at IS NOT NULL OR (m.post_id IS NULL AND m.created_at <= ?2 - ${UNPOSTED_TTL_MS} AND NOT ${IS_AVATAR_SQL})))`;

export async function findMedia(db: Db, id: string): Promise<MediaRecord | null> {
  return db.prepare("SELECT * FROM media WHERE id = ?").bind(id).first<MediaRecord>();
}

export function insertMediaStatement(db: Db, row: Omit<MediaRecord, "post_id" | "deleted_at">): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO media (id, owner_id, storage_key, mime_type, width, height, byte_size, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    )
    .bind(row.id, row.owner_id, row.storage_key, row.mime_type, row.width, row.height, row.byte_size, row.created_at);
}

/** A deleted post's media: hidden at once (mediaVisibleSql), their bytes left to the owner's sweep. */
export function markPostMediaDeletedStatement(db: Db, postId: string, ownerId: string, now: number): D1PreparedStatement {
  return db.prepare("UPDATE media SET deleted_at = ?3 WHERE post_id = ?1 AND owner_id = ?2 AND deleted_at IS NULL").bind(postId, ownerId, now);
}

export interface ServedMedia {
  storage_key: string;
  mime_type: MediaType;
  /** 1 when anyone may see it (cacheable publicly). */
  public: number | null;
}

/**
 * Upload `id` if the viewer may see it, in one D1 statement: the viewer is the cookie's session
 * (its token hash and signed user id, checked here by the sessions rule), or nobody when there is
 * none or it is not live. One round trip per image, signed in or not.
 */
export async function mediaForViewer(db: Db, id: string, session: { tokenHash: string; userId: string } | null, now: number): Promise<ServedMedia | null> {
  return db
    .prepare(
      `WITH v(vid) AS (SELECT ${sessionViewerSql("?2", "?3", "?4")})
       SELECT m.storage_key, m.mime_type, ${MEDIA_PUBLIC_SQL} AS public FROM v CROSS JOIN media m WHERE m.id = ?1 AND ${mediaVisibleSql("v.vid")}`,
    )
    .bind(id, session?.tokenHash ?? null, session?.userId ?? null, now)
    .first<ServedMedia>();
}

export interface SweepResult {
  removed: number;
  /** A full batch was removed: there may be more now. */
  more: boolean;
  /** When the next unposted upload of this owner comes due, if any. */
  nextDueAt: number | null;
}

/**
 * One batch of the owner's media sweep: the bytes of what may go are deleted from the bucket, then
 * their rows (re-checked, so nothing a post took meanwhile is lost). Idempotent: deleting a key
 * twice is harmless, and a crash between the two steps leaves rows the next run finishes.
 */
export async function sweepOwnerMedia(db: Db, bucket: R2Bucket, ownerId: string, now: number, limit = 100): Promise<SweepResult> {
  const [due, next] = await db.batch<{ id: string; storage_key: string; t: number | null }>([
    db.prepare(`SELECT m.id, m.storage_key FROM media m WHERE ${SWEEPABLE_SQL} ORDER BY m.created_at LIMIT ?3`).bind(ownerId, now, limit),
    db.prepare(`SELECT MIN(m.created_at) AS t FROM media m WHERE ${unpostedUploadSql("?1", "?2")} AND NOT ${IS_AVATAR_SQL}`).bind(ownerId, now),
  ]);
  const rows = due.results;
  if (rows.length > 0) {
    await bucket.delete(rows.map((r) => r.storage_key));
    await db
      .prepare(`DELETE FROM media AS m WHERE m.id IN (SELECT value FROM json_each(?3)) AND ${SWEEPABLE_SQL}`)
      .bind(ownerId, now, jsonIds(rows.map((r) => r.id)))
      .run();
  }
  const oldest = next.results[0]?.t ?? null;
  return { removed: rows.length, more: rows.length === limit, nextDueAt: oldest === null ? null : oldest + UNPOSTED_TTL_MS };
}

/**
 * For account deletion (API.md: the account's media are erased with it): every object under the
 * owner's key prefix, removed from the bucket a page at a time. It needs no D1 row, so it works
 * after the user's rows (and, by cascade, their media rows) are gone; call it again while `more`.
 */
export async function removeOwnerMediaBytes(bucket: R2Bucket, ownerId: string, limit = 1000): Promise<{ removed: number; more: boolean }> {
  const listed = await bucket.list({ prefix: `media/${ownerId}/`, limit });
  if (listed.objects.length > 0) await bucket.delete(listed.objects.map((o) => o.key));
  return { removed: listed.objects.length, more: listed.truncated };
}
