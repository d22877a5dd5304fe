/**
 * A post's images as every hydrated post carries them (core/posts.ts `postSelect`, so REST reads,
 * feeds and live messages alike): one JSON column per post row, read through media_post_idx.
 */
import type { PostMedia } from "../../schema/api";

/** Where an upload is served: a path on our own origin, never the bucket (worker/routes/media.ts). */
export const mediaUrl = (id: string) => `/media/${id}`;

/** SQL: the images of post `p` in order, as a JSON array (an empty one for most posts). */
export const POST_MEDIA_SQL = `(SELECT json_group_array(json_object('id', m.id, 'width', m.width, 'height', m.height, 'alt', COALESCE(m.alt, '')) ORDER BY m.position)
  FROM media m WHERE m.post_id = p.id AND m.deleted_at IS NULL)`;

export function postMediaFromJson(json: string | null): PostMedia[] {
  if (!json) return [];
  const items = JSON.parse(json) as Omit<PostMedia, "url">[];
  return items.map((m) => ({ id: m.id, url: mediaUrl(m.id), width: m.width, height: m.height, alt: m.alt }));
}
