/**
 * Post hydration: one statement turns a list of post ids into contract `Post`s for one viewer,
 * with authors, `isLiked`, embedded shared posts, and the privacy rule applied in SQL:
 * a `friends` post is visible to its author and the author's friends (mutual follows) only.
 * Ids travel as one JSON array (json_each), so any number of them costs one bound parameter.
 */
import type { Db } from "./d1";
import type { FeedResponse, Post } from "../schema/api";
import { encodeCursor } from "./cursor";
import { iso, jsonIds } from "./db";
import { POST_MEDIA_SQL, postMediaFromJson } from "./media/post-media";
import { mentionsFromJson, mentionsJsonSql, POST_MENTIONS } from "./mentions";
import { absentToSql, mutesSql } from "./relations";
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
  /** The post's images, in order (core/media/post-media.ts). */
  media_json: string | null;
  /** JSON array of the mentioned users (core/mentions.ts). */
  mentions: string | null;
  /** The viewer has muted this post's author: dropped from the home feed and its live pushes only. */
  muted: number;
}

/**
 * SQL for "viewer `viewer` may see post p": the one definition of privacy, used by every read path,
 * every live message and every write that needs the post (like, comment, share), so all of them
 * inherit it (`viewer` is a bound parameter such as ?1, or a column such as v.vid). Its own author
 * always sees a post; anyone else only while the author is not absent to them (blocked either way,
 * or a deleted account: core/relations.ts), and a `friends` post only as the author's friend.
 */
export const postVisibleSql = (viewer: string) =>
  `(p.author_id = ${viewer} OR ((p.privacy = 'public' OR ${ARE_FRIENDS_SQL(viewer, "p.author_id")}) AND NOT ${absentToSql(viewer, "p.author_id")}))`;
export const POST_VISIBLE_SQL = postVisibleSql("?1");

/** A post row's columns as `viewer` sees it (`is_liked`, `visible` are the viewer's own). */
const postSelect = (viewer: string) => `p.id AS id, p.author_id, p.content, p.image_url, p.post_type, p.privacy, p.shared_post_id,
  p.like_count, p.comment_count, p.share_count, p.created_at, p.updated_at,
  u.username, u.display_name, u.avatar_url, u.follower_count,
  EXISTS (SELECT 1 FROM likes l WHERE l.post_id = p.id AND l.user_id = ${viewer}) AS is_liked,
  ${postVisibleSql(viewer)} AS visible, ${POST_MEDIA_SQL} AS media_json, ${mentionsJsonSql(POST_MENTIONS, "p.id")} AS mentions, ${mutesSql(viewer, "p.author_id")} AS muted`;
export const POST_SELECT = postSelect("?1");

/**
 * Rows for `ids` plus the posts they share, each with `visible` for viewer ?1. Rows are returned
 * even when not visible so callers that page (feeds) can take their cursor before filtering.
 * `CROSS JOIN` keeps the id list driving the join (see core/feed/candidates.ts): never a scan of posts.
 */
export function hydrateStatement(db: Db, viewerId: string, ids: readonly string[]): D1PreparedStatement {
  return db
    .prepare(
      `WITH wanted(id) AS (SELECT value FROM json_each(?2)),
       all_ids(id) AS (SELECT id FROM wanted UNION SELECT p.shared_post_id FROM wanted w CROSS JOIN posts p ON p.id = w.id WHERE p.shared_post_id IS NOT NULL)
       SELECT ${POST_SELECT} FROM all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id`,
    )
    .bind(viewerId, jsonIds(ids));
}

function toPostWithoutShare(row: PostRecord, threshold: number): Post {
  const media = postMediaFromJson(row.media_json);
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
    // Old clients know only imageUrl: it mirrors the first image (a post has media or an image URL, never both).
    imageUrl: media[0]?.url ?? row.image_url,
    media,
    postType: row.post_type,
    privacy: row.privacy,
    likeCount: row.like_count,
    commentCount: row.comment_count,
    shareCount: row.share_count,
    isLiked: row.is_liked === 1,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    mentions: mentionsFromJson(row.mentions, threshold),
  };
}

/**
 * Visible posts by id, shares with their original embedded (null when deleted or hidden).
 * `home`: for the viewer's home feed and its live pushes, where the posts of muted authors are
 * left out (a share by someone else still embeds a muted author's original: only what the muted
 * user wrote or shared goes).
 */
export function postsFromRows(rows: readonly PostRecord[], threshold: number, home = false): Map<string, Post> {
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
  if (home) for (const row of rows) if (row.muted === 1) out.delete(row.id);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Posts for many viewers at once: the live path. A socket message is built for its recipient by
// the same SQL and the same postsFromRows as a REST read, one statement for a whole batch of
// recipients, so a push never costs a D1 round trip per recipient and can never drift from REST.

export type ViewerPostRecord = PostRecord & { viewer_id: string };

/**
 * SQL: the posts in JSON array `postIdsParam` (and the posts they share) as each viewer of the
 * `viewers(vid)` CTE body sees them, one row set per viewer tagged `viewer_id`. A viewer with no
 * rows (the post is gone) still appears once, with null post columns, so the caller that pages
 * through viewers (fan-out) sees every one.
 */
export function viewsForViewersSql(viewersCte: string, postIdsParam: string): string {
  return `WITH viewers(vid) AS (${viewersCte}),
     wanted(id) AS (SELECT value FROM json_each(${postIdsParam})),
     all_ids(id) AS (SELECT id FROM wanted UNION SELECT p.shared_post_id FROM wanted w CROSS JOIN posts p ON p.id = w.id WHERE p.shared_post_id IS NOT NULL)
     SELECT v.vid AS viewer_id, ${postSelect("v.vid")}
     FROM viewers v LEFT JOIN (all_ids a CROSS JOIN posts p ON p.id = a.id JOIN users u ON u.id = p.author_id) ON 1`;
}

/**
 * Rows of viewsForViewersSql, per viewer, as REST would answer each (postsFromRows). In viewer
 * order of first appearance. `home`: the message goes to the viewer's home feed (a delivery, a
 * celebrity's push), so a viewer who muted the author gets none.
 */
export function viewsByViewer(rows: readonly ViewerPostRecord[], threshold: number, home = false): Map<string, Map<string, Post>> {
  const grouped = new Map<string, ViewerPostRecord[]>();
  for (const row of rows) {
    const list = grouped.get(row.viewer_id);
    if (list) list.push(row);
    else grouped.set(row.viewer_id, row.id === null ? [] : [row]);
  }
  return new Map([...grouped].map(([viewerId, list]) => [viewerId, postsFromRows(list, threshold, home)]));
}

/** Viewers per statement, so one statement's rows stay small (a celebrity can have thousands online). */
const VIEWERS_PER_STATEMENT = 500;

/**
 * `postId` as each of `viewerIds` may see it now; viewers who may not see it are absent (and with
 * `home`, those who muted its author). One D1 round trip.
 */
export async function postForViewers(db: Db, viewerIds: readonly string[], postId: string, threshold: number, home = false): Promise<Map<string, Post>> {
  const out = new Map<string, Post>();
  if (viewerIds.length === 0) return out;
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < viewerIds.length; i += VIEWERS_PER_STATEMENT) {
    const chunk = viewerIds.slice(i, i + VIEWERS_PER_STATEMENT);
    statements.push(db.prepare(viewsForViewersSql("SELECT value FROM json_each(?1)", "?2")).bind(jsonIds(chunk), jsonIds([postId])));
  }
  for (const { results } of await db.batch<ViewerPostRecord>(statements)) {
    for (const [viewerId, posts] of viewsByViewer(results, threshold, home)) {
      const post = posts.get(postId);
      if (post) out.set(viewerId, post);
    }
  }
  return out;
}

/** Of `viewerIds`, those who may see `postId` now (for messages that carry no post, only counts). */
export async function viewersWhoMaySee(db: Db, viewerIds: readonly string[], postId: string): Promise<string[]> {
  if (viewerIds.length === 0) return [];
  const { results } = await db
    .prepare(`SELECT v.value AS id FROM json_each(?1) v CROSS JOIN posts p WHERE p.id = ?2 AND ${postVisibleSql("v.value")}`)
    .bind(jsonIds(viewerIds), postId)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Of `postIds`, those `viewerId` may see, grouped by author (whose objects hold the watch leases). */
export async function visiblePostsByAuthor(db: Db, viewerId: string, postIds: readonly string[]): Promise<Map<string, string[]>> {
  const { results } = await db
    .prepare(`SELECT p.id, p.author_id FROM posts p WHERE p.id IN (SELECT value FROM json_each(?2)) AND ${POST_VISIBLE_SQL}`)
    .bind(viewerId, jsonIds(postIds))
    .all<{ id: string; author_id: string }>();
  const byAuthor = new Map<string, string[]>();
  for (const row of results) byAuthor.set(row.author_id, [...(byAuthor.get(row.author_id) ?? []), row.id]);
  return byAuthor;
}

/** `home`: for the viewer's home feed (muted authors left out, see postsFromRows). */
export async function hydratePosts(db: Db, viewerId: string, ids: readonly string[], threshold: number, home = false): Promise<Map<string, Post>> {
  if (ids.length === 0) return new Map();
  const { results } = await hydrateStatement(db, viewerId, ids).all<PostRecord>();
  return postsFromRows(results, threshold, home);
}

export async function loadVisiblePost(db: Db, viewerId: string, postId: string, threshold: number): Promise<Post | undefined> {
  return (await hydratePosts(db, viewerId, [postId], threshold)).get(postId);
}

/**
 * One keyset page of an author's posts that the viewer may see, newest first (posts_author_idx
 * serves it): GET /users/:username/posts and the edge-rendered profile page.
 */
export async function authorPostsPage(
  db: Db,
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
