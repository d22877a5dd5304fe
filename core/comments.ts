/**
 * Reading comments for one viewer. A comment is visible exactly when its post is (postVisibleSql,
 * the one privacy rule), so every statement here joins the post and applies it; `isLiked` and
 * `mentions` come in the same statement. Lists are keyset-paged on id, oldest first: top-level
 * comments of a post, or the replies of one top-level comment.
 */
import type { Db } from "./d1";
import { userAbsentSql } from "./relations";
import type { Comment, CommentListResponse } from "../schema/api";
import { encodeCursor } from "./cursor";
import { iso } from "./db";
import { notFound } from "./errors";
import { COMMENT_MENTIONS, mentionsFromJson, mentionsJsonSql } from "./mentions";
import { POST_VISIBLE_SQL } from "./posts";

export interface CommentRecord {
  id: string;
  post_id: string;
  author_id: string;
  parent_id: string | null;
  content: string;
  like_count: number;
  reply_count: number;
  created_at: number;
  updated_at: number;
  username: string;
  display_name: string;
  avatar_url: string | null;
  follower_count: number;
  is_liked: number;
  mentions: string | null;
}

/** Columns of comment `c` (its author `u`) for viewer ?1. */
export const COMMENT_SELECT = `c.id, c.post_id, c.author_id, c.parent_id, c.content, c.like_count, c.reply_count, c.created_at, c.updated_at,
  u.username, u.display_name, u.avatar_url, u.follower_count,
  EXISTS (SELECT 1 FROM comment_likes cl WHERE cl.comment_id = c.id AND cl.user_id = ?1) AS is_liked,
  ${mentionsJsonSql(COMMENT_MENTIONS, "c.id")} AS mentions`;

/**
 * FROM clause: comments with their author and post, the post visible to viewer ?1 and the comment's
 * author not absent to them (blocked either way, or deleted): such a comment does not exist for the
 * viewer (lists, replies, likes, edits: 404). Counts stay the post's own.
 */
export const VISIBLE_COMMENTS_FROM = `comments c JOIN posts p ON p.id = c.post_id JOIN users u ON u.id = c.author_id WHERE ${POST_VISIBLE_SQL} AND NOT ${userAbsentSql("?1", "u")}`;

export function toComment(row: CommentRecord, threshold: number): Comment {
  return {
    id: row.id,
    postId: row.post_id,
    userId: row.author_id,
    user: {
      id: row.author_id,
      username: row.username,
      displayName: row.display_name,
      avatarUrl: row.avatar_url,
      isCelebrity: row.follower_count >= threshold,
    },
    content: row.content,
    likeCount: row.like_count,
    isLiked: row.is_liked === 1,
    parentId: row.parent_id,
    replyCount: row.reply_count,
    mentions: mentionsFromJson(row.mentions, threshold),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at || row.created_at),
  };
}

/** One comment as the viewer may see it, or undefined. */
export async function loadVisibleComment(db: Db, viewerId: string, commentId: string, threshold: number): Promise<Comment | undefined> {
  const row = await db.prepare(`SELECT ${COMMENT_SELECT} FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`).bind(viewerId, commentId).first<CommentRecord>();
  return row ? toComment(row, threshold) : undefined;
}

function page(rows: CommentRecord[], limit: number, threshold: number): CommentListResponse {
  const comments = rows.slice(0, limit).map((r) => toComment(r, threshold));
  const hasMore = rows.length > limit;
  return { comments, pagination: { nextCursor: hasMore ? encodeCursor({ a: comments[comments.length - 1].id }) : null, hasMore } };
}

/**
 * A post's top-level comments after id `after`, oldest first; 404 POST_NOT_FOUND when the viewer
 * may not see the post. One batch: the post's visibility and the page.
 */
export async function topLevelComments(db: Db, viewerId: string, postId: string, after: string, limit: number, threshold: number): Promise<CommentListResponse> {
  const [post, rows] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT ${POST_VISIBLE_SQL} AS visible FROM posts p WHERE p.id = ?2`).bind(viewerId, postId),
    db
      .prepare(`SELECT ${COMMENT_SELECT} FROM ${VISIBLE_COMMENTS_FROM} AND c.post_id = ?2 AND c.parent_id IS NULL AND c.id > ?3 ORDER BY c.id LIMIT ?4`)
      .bind(viewerId, postId, after, limit + 1),
  ]);
  if ((post.results[0] as { visible?: number } | undefined)?.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
  return page(rows.results as unknown as CommentRecord[], limit, threshold);
}

/** The replies of comment `commentId` after id `after`, oldest first; 404 COMMENT_NOT_FOUND when it is not visible. */
export async function commentReplies(db: Db, viewerId: string, commentId: string, after: string, limit: number, threshold: number): Promise<CommentListResponse> {
  const [parent, rows] = await db.batch<Record<string, unknown>>([
    db.prepare(`SELECT c.id FROM ${VISIBLE_COMMENTS_FROM} AND c.id = ?2`).bind(viewerId, commentId),
    db
      .prepare(`SELECT ${COMMENT_SELECT} FROM ${VISIBLE_COMMENTS_FROM} AND c.parent_id = ?2 AND c.id > ?3 ORDER BY c.id LIMIT ?4`)
      .bind(viewerId, commentId, after, limit + 1),
  ]);
  if (parent.results.length === 0) throw notFound("COMMENT_NOT_FOUND", "Comment");
  return page(rows.results as unknown as CommentRecord[], limit, threshold);
}

/**
 * The first `perComment` replies of each of `parentIds` (the post page opens every thread), in one
 * statement, by parent.
 */
export async function firstReplies(db: Db, viewerId: string, parentIds: readonly string[], perComment: number, threshold: number): Promise<Map<string, CommentListResponse>> {
  const out = new Map<string, CommentListResponse>();
  if (parentIds.length === 0) return out;
  const { results } = await db
    .prepare(
      `SELECT * FROM (SELECT ${COMMENT_SELECT}, ROW_NUMBER() OVER (PARTITION BY c.parent_id ORDER BY c.id) AS rn
         FROM ${VISIBLE_COMMENTS_FROM} AND c.parent_id IN (SELECT value FROM json_each(?2))) WHERE rn <= ?3 ORDER BY id`,
    )
    .bind(viewerId, JSON.stringify(parentIds), perComment + 1)
    .all<CommentRecord>();
  for (const id of parentIds) out.set(id, page(results.filter((r) => r.parent_id === id), perComment, threshold));
  return out;
}
