/** Posts and engagement. Reads go straight to D1; every write goes through the viewer's UserFeed. */
import { readDb } from "../lib/d1";
import { Hono } from "hono";
import { z } from "zod";
import { createCommentBody, createPostBody, editPostBody, listQuery, sharePostBody } from "../../schema/api";
import { readConfig } from "../../core/config";
import { notFound } from "../../core/errors";
import { topLevelComments } from "../../core/comments";
import { loadVisiblePost } from "../../core/posts";
import { decodeCursor } from "../../core/cursor";
import { mutate } from "../lib/mutate";
import { requireViewer, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import { validateEdit, validateNewPost } from "../../core/ops/posts";
import type { AppEnv } from "../types";

/** The comment lists' keyset cursor: the last comment id seen. */
export const commentCursor = z.object({ a: z.string().min(1).max(64) });

export const postRoutes = new Hono<AppEnv>()
  .use(requireViewer)
  .post("/", validate("json", createPostBody), (c) => {
    const body = c.req.valid("json");
    validateNewPost(body); // reject bad input before an object is woken
    return mutate(c, { kind: "createPost", body }, { requireKey: true });
  })
  .get("/:id", async (c) => {
    const post = await loadVisiblePost((await readDb(c)), viewerOf(c).id, c.req.param("id"), readConfig(c.env).celebrityThreshold);
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
  .post("/:id/comments", validate("json", createCommentBody), (c) => {
    const { content, parentId } = c.req.valid("json");
    return mutate(c, { kind: "comment", postId: c.req.param("id"), content, parentId: parentId ?? null }, { requireKey: true });
  })
  .post("/:id/share", validate("json", sharePostBody), (c) =>
    mutate(c, { kind: "share", postId: c.req.param("id"), body: c.req.valid("json") }, { requireKey: true }),
  )
  // A post's top-level comments, oldest first (replies: GET /comments/:cid/replies).
  .get("/:id/comments", validate("query", listQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, commentCursor).a : "";
    const data = await topLevelComments((await readDb(c)), viewerOf(c).id, c.req.param("id"), after, limit, readConfig(c.env).celebrityThreshold);
    return c.json({ success: true as const, data }, 200);
  });
