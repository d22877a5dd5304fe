/** A comment's replies, edits, deletion and likes (API.md, Conversations). Writes go through the viewer's UserFeed. */
import { readDb } from "../lib/d1";
import { Hono } from "hono";
import { editCommentBody, listQuery } from "../../schema/api";
import { readConfig } from "../../core/config";
import { commentReplies } from "../../core/comments";
import { decodeCursor } from "../../core/cursor";
import { mutate } from "../lib/mutate";
import { requireViewer, viewerOf } from "../lib/session";
import { validate } from "../lib/validate";
import type { AppEnv } from "../types";
import { commentCursor } from "./posts";

export const commentRoutes = new Hono<AppEnv>()
  .use(requireViewer)
  .get("/:cid/replies", validate("query", listQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, commentCursor).a : "";
    const data = await commentReplies((await readDb(c)), viewerOf(c).id, c.req.param("cid"), after, limit, readConfig(c.env).celebrityThreshold);
    return c.json({ success: true as const, data }, 200);
  })
  .patch("/:cid", validate("json", editCommentBody), (c) => mutate(c, { kind: "editComment", commentId: c.req.param("cid"), content: c.req.valid("json").content }))
  .delete("/:cid", (c) => mutate(c, { kind: "deleteComment", commentId: c.req.param("cid") }))
  .post("/:cid/like", (c) => mutate(c, { kind: "likeComment", commentId: c.req.param("cid") }))
  .delete("/:cid/like", (c) => mutate(c, { kind: "unlikeComment", commentId: c.req.param("cid") }));
