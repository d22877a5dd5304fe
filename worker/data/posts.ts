/**
 * Post hydration: one statement turns a list of post ids into contract `Post`s for one viewer,
 * with authors, `isLiked`, embedded shared posts, and the privacy rule applied in SQL:
 * a `friends` post is visible to its author and the author's friends (mutual follows) only.
 * Ids travel as one JSON array (json_each), so any number of them costs one bound parameter.
 */
import type { FeedResponse, Post } from "../../schema/api";
import { encodeCursor } from "../lib/cursor";
import { iso, jsonIds } from "./db";
import { ARE_FRIENDS_SQL } from "./users";

export interface PostRecord {
  id: string;
  author_id: string;
  content: string;
  image_url: string | null;
  post_type: Post["postType"];
  privacy: Post["privacy"];
  shared_post_id: string | null;
  like_count: number;
  comment_count: number;
  share_count: number;
  created_at: number;
  updated_at: number;
  username: string;
  display_name: string;
  avatar_url: string | null;
  follower_count: number;
  is_liked: number;
  visible: number;
}

/** SQL for "viewer ?1 may see post p": reused by every read path so privacy has one definition. */
export const POST_VISIBLE_SQL = `(p.privacy = 'public' OR p.author_id = ?1 OR ${ARE_FRIENDS_SQL("?1", "p.author_id")})`;

export const POST_SELECT = `p.id, p.author_id, p.content, p.image_url, p.post_type, p.privacy, p.shared_post_id,
  p.like_count, p.comment_count, p.share_count, p.created_at, p.updated_at,
  u.username, u.display_name, u.avatar_url, u.follower_count,
  EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ?1) AS is_liked,
  ${POST_VISIBLE_SQL} AS visible`;

/**
 * Rows for `ids` plus the posts they share, each with `visible` for viewer ?1. Rows are returned
 * even when not visible so callers that page (feeds) can take their cursor before filtering.
 * `CROSS JOIN` keeps the id list driving the join (see worker/feed/candidates.ts): never a scan of posts.
 */
export function hydrateStatement(db: D1Database, viewerId: string, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `WITH wanted(id) AS (SELECT value FROM json_each(?2)),
       all_ids(id) AS (SELECT id FROM wanted UNION SELECT p.shared_post_id FROM wanted w CROSS JOIN posts p ON p.id = w.id WHERE p.shared_post_id IS NOT NULL)
       SELECT ${POST_SELECT} FROM all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id`,
    )
    .bind(viewerId, jsonIds(ids));
}

function toPostWithoutShare(row: PostRecord, threshold: number): Post {
  return {
    id: row.id,
    authorId: row.author_id,
    author: {
      id: row.author_id,
      username: row.username,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
      isCelebrity: row.follower_count >= threshold,
    },
    content: row.content,
    imageUrl: row.image_url,
    postType: row.post_type,
    privacy: row.privacy,
    likeCount: row.like_count,
    commentCount: row.comment_count,
    shareCount: row.share_count,
    isLiked: row.is_liked === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** Visible posts by id, shares with their original embedded (null when deleted or hidden). */
export function postsFromRows(rows: readonly PostRecord[], threshold: number): Map<string, Post> {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out = new Map<string, Post>();
  for (const row of rows) {
    if (row.visible !== 1) continue;
    const post = toPostWithoutShare(row, threshold);
    if (row.post_type === "share") {
      const original = row.shared_post_id ? byId.get(row.shared_post_id) : undefined;
      post.sharedPost = original && original.visible === 1 ? toPostWithoutShare(original, threshold) : null;
    }
    out.set(row.id, post);
  }
  return out;
}

export async function hydratePosts(db: D1Database, viewerId: string, ids: readonly string[], threshold: number): Promise<Map<string, Post>> {
  if (ids.length === 0) return new Map();
  const { results } = await hydrateStatement(db, viewerId, ids).all<PostRecord>();
  return postsFromRows(results, threshold);
}

export async function loadVisiblePost(db: D1Database, viewerId: string, postId: string, threshold: number): Promise<Post | undefined> {
  return (await hydratePosts(db, viewerId, [postId], threshold)).get(postId);
}

/**
 * One keyset page of an author's posts that the viewer may see, newest first (posts_author_idx
 * serves it): GET /users/:username/posts and the edge-rendered profile page.
 */
export async function authorPostsPage(
  db: D1Database,
  viewerId: string,
  authorId: string,
  before: string | null,
  limit: number,
  threshold: number,
): Promise<FeedResponse> {
  const { results } = await db
    .prepare(`SELECT p.id FROM posts p WHERE p.author_id = ?2 AND p.id < ?3 AND ${POST_VISIBLE_SQL} ORDER BY p.id DESC LIMIT ?4`)
    .bind(viewerId, authorId, before ?? "~", limit + 1)
    .all<{ id: string }>();
  const page = results.slice(0, limit).map((r) => r.id);
  const hydrated = await hydratePosts(db, viewerId, page, threshold);
  const hasMore = results.length > limit;
  return {
    posts: page.flatMap((id) => hydrated.get(id) ?? []),
    pagination: { nextCursor: hasMore ? encodeCursor({ b: page[page.length - 1] }) : null, hasMore, newestCursor: null },
  };
}
