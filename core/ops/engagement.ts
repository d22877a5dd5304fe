/**
 * Likes and comments. Each is one D1 batch: the write is conditional on the post being visible to
 * the viewer, and the counter moves by `changes()` of that write inside the same transaction, so
 * counts stay exact under any concurrency and repeats change nothing.
 */
import type { Comment } from "../../schema/api";
import { notFound } from "../errors";
import { iso } from "../db";
import { POST_VISIBLE_SQL } from "../posts";
import { findUserById, toUserSummary } from "../users";
import type { OpContext } from "./context";
import type { MutationResult } from "./types";

interface CountRow {
  author_id: string;
  privacy: "public" | "friends";
  like_count: number;
  comment_count: number;
  visible: number;
}

const COUNT_SELECT = `SELECT p.author_id, p.privacy, p.like_count, p.comment_count, ${POST_VISIBLE_SQL} AS visible FROM posts p WHERE p.id = ?2`;

export async function setLike(ctx: OpContext, postId: string, liked: boolean): Promise<MutationResult> {
  const { db, viewerId, now } = ctx;
  const write = liked
    ? db
        .prepare(
          `INSERT INTO likes (post_id, user_id, author_id, created_at)
           SELECT p.id, ?1, p.author_id, ?3 FROM posts p WHERE p.id = ?2 AND ${POST_VISIBLE_SQL}
           ON CONFLICT (post_id, user_id) DO NOTHING`,
        )
        .bind(viewerId, postId, now)
    : db
        .prepare(`DELETE FROM likes WHERE post_id = ?2 AND user_id = ?1 AND EXISTS (SELECT 1 FROM posts p WHERE p.id = ?2 AND ${POST_VISIBLE_SQL})`)
        .bind(viewerId, postId);
  const sign = liked ? "+" : "-";
  const [, , counted] = await db.batch<CountRow>([
    write,
    db.prepare(`UPDATE posts SET like_count = MAX(0, like_count ${sign} changes()) WHERE id = ?`).bind(postId),
    db.prepare(COUNT_SELECT).bind(viewerId, postId),
  ]);
  const row = counted.results[0];
  if (!row || row.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
  return {
    status: 200,
    body: { liked, likeCount: row.like_count },
    effects: [{ type: "engagement", postId, authorId: row.author_id, privacy: row.privacy, field: "likeCount", delta: liked ? 1 : -1, newValue: row.like_count }],
  };
}

export async function addComment(ctx: OpContext, postId: string, content: string): Promise<MutationResult> {
  const { db, viewerId, now, reservedId: id } = ctx;
  const [, , counted] = await db.batch<CountRow>([
    db
      .prepare(
        `INSERT INTO comments (id, post_id, author_id, post_author_id, content, created_at)
         SELECT ?3, p.id, ?1, p.author_id, ?4, ?5 FROM posts p WHERE p.id = ?2 AND ${POST_VISIBLE_SQL}
         ON CONFLICT (id) DO NOTHING`,
      )
      .bind(viewerId, postId, id, content, now),
    db.prepare("UPDATE posts SET comment_count = comment_count + changes() WHERE id = ?").bind(postId),
    db.prepare(COUNT_SELECT).bind(viewerId, postId),
  ]);
  const row = counted.results[0];
  if (!row || row.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
  const author = await findUserById(db, viewerId);
  if (!author) throw new Error("comment author vanished");
  const comment: Comment = {
    id,
    postId,
    authorId: viewerId,
    author: toUserSummary(author, ctx.config.celebrityThreshold),
    content,
    createdAt: iso(now),
  };
  return {
    status: 201,
    body: { comment },
    effects: [{ type: "engagement", postId, authorId: row.author_id, privacy: row.privacy, field: "commentCount", delta: 1, newValue: row.comment_count }],
  };
}
