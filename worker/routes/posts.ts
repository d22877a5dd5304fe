/** Posts and engagement. Reads go straight to D1; every write goes through the viewer's UserFeed. */
import { Hono } from "hono";
import { z } from "zod";
import { createCommentBody, createPostBody, editPostBody, listQuery, sharePostBody, type CommentListResponse } from "../../schema/api";
import { readConfig } from "../../core/config";
import { notFound } from "../../core/errors";
import { iso } from "../../core/db";
import { loadVisiblePost, POST_VISIBLE_SQL } from "../../core/posts";
import { toUserSummary, type UserRecord } from "../../core/users";
import { userAbsentSql } from "../../core/relations";
import { decodeCursor, encodeCursor } from "../../core/cursor";
import { mutate } from "../lib/mutate";
import { requireSession, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import { validateEdit, validateNewPost } from "../../core/ops/posts";
import type { AppEnv } from "../types";

export const postRoutes = new Hono<AppEnv>()
  .use(requireSession)
  .post("/", validate("json", createPostBody), (c) => {
    const body = c.req.valid("json");
    validateNewPost(body); // reject bad input before an object is woken
    return mutate(c, { kind: "createPost", body }, { requireKey: true });
  })
  .get("/:id", async (c) => {
    const post = await loadVisiblePost(c.env.DB, viewerOf(c).id, c.req.param("id"), readConfig(c.env).celebrityThreshold);
    if (!post) throw notFound("POST_NOT_FOUND", "Post");
    return c.json({ success: true as const, data: { post } }, 200);
  })
  .patch("/:id", validate("json", editPostBody), (c) => {
    const { content } = c.req.valid("json");
    validateEdit(content);
    return mutate(c, { kind: "editPost", postId: c.req.param("id"), content });
  })
  .delete("/:id", (c) => mutate(c, { kind: "deletePost", postId: c.req.param("id") }))
  .post("/:id/like", (c) => mutate(c, { kind: "like", postId: c.req.param("id") }))
  .delete("/:id/like", (c) => mutate(c, { kind: "unlike", postId: c.req.param("id") }))
  .post("/:id/comments", validate("json", createCommentBody), (c) =>
    mutate(c, { kind: "comment", postId: c.req.param("id"), content: c.req.valid("json").content }, { requireKey: true }),
  )
  .post("/:id/share", validate("json", sharePostBody), (c) =>
    mutate(c, { kind: "share", postId: c.req.param("id"), body: c.req.valid("json") }, { requireKey: true }),
  )
  .get("/:id/comments", validate("query", listQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, z.object({ a: z.string().min(1).max(64) })).a : "";
    const viewer = viewerOf(c);
    const postId = c.req.param("id");
    // One batch: the post's visibility and the page of comments (oldest first, keyset on id).
    const [post, page] = await c.env.DB.batch<Record<string, unknown>>([
      c.env.DB.prepare(`SELECT ${POST_VISIBLE_SQL} AS visible FROM posts p WHERE p.id = ?2`).bind(viewer.id, postId),
      // Comments by someone absent to the viewer (blocked either way) are left out; counts stay the post's own.
      c.env.DB.prepare(
        `SELECT c.id, c.post_id, c.author_id, c.content, c.created_at, u.username, u.display_name, u.avatar_url, u.follower_count
         FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.post_id = ?2 AND c.id > ?3 AND NOT ${userAbsentSql("?1", "u")} ORDER BY c.id LIMIT ?4`,
      ).bind(viewer.id, postId, after, limit + 1),
    ]);
    if ((post.results[0] as { visible?: number } | undefined)?.visible !== 1) throw notFound("POST_NOT_FOUND", "Post");
    const rows = page.results as unknown as (UserRecord & { post_id: string; author_id: string; content: string })[];
    const threshold = readConfig(c.env).celebrityThreshold;
    const comments = rows.slice(0, limit).map((r) => ({
      id: r.id,
      postId: r.post_id,
      authorId: r.author_id,
      author: toUserSummary({ ...r, id: r.author_id }, threshold),
      content: r.content,
      createdAt: iso(r.created_at),
    }));
    const hasMore = rows.length > limit;
    const data: CommentListResponse = {
      comments,
      pagination: { nextCursor: hasMore ? encodeCursor({ a: comments[comments.length - 1].id }) : null, hasMore },
    };
    return c.json({ success: true as const, data }, 200);
  });
