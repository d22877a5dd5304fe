/** Comment threads: replies, edits, deletes and likes of comments (worker/routes/comments.ts). */
import { editCommentBody, listQuery } from "../../schema/api";
import { commentListResponseSchema, commentResponseSchema, deletedResponseSchema, likeResponseSchema } from "../../schema/responses";
import { routes } from "./route";

const cid = { cid: "A comment id." };
const hidden = "A comment on a post the viewer may not see does not exist for them: 404, never 403.";

export const commentRoutesDoc = routes(
  {
    method: "get",
    path: "/api/v1/comments/{cid}/replies",
    operationId: "listReplies",
    tag: "comments",
    summary: "A top-level comment's replies, oldest first",
    description: hidden,
    session: true,
    params: cid,
    query: listQuery,
    success: { status: 200, description: "A page of replies.", data: commentListResponseSchema },
    errors: { 400: ["INVALID_CURSOR"], 404: ["COMMENT_NOT_FOUND"] },
  },
  {
    method: "patch",
    path: "/api/v1/comments/{cid}",
    operationId: "editComment",
    tag: "comments",
    summary: "Change your comment's text (1–2000 characters)",
    session: true,
    params: cid,
    body: editCommentBody,
    idempotency: "accepted",
    success: { status: 200, description: "The edited comment.", data: commentResponseSchema },
    errors: { 403: ["FORBIDDEN"], 404: ["COMMENT_NOT_FOUND"] },
  },
  {
    method: "delete",
    path: "/api/v1/comments/{cid}",
    operationId: "deleteComment",
    tag: "comments",
    summary: "Delete a comment and its replies (its author, or the post's author)",
    session: true,
    params: cid,
    idempotency: "accepted",
    success: { status: 200, description: "Deleted.", data: deletedResponseSchema },
    errors: { 403: ["FORBIDDEN"], 404: ["COMMENT_NOT_FOUND"] },
  },
  {
    method: "post",
    path: "/api/v1/comments/{cid}/like",
    operationId: "likeComment",
    tag: "comments",
    summary: "Like a comment (idempotent)",
    session: true,
    params: cid,
    idempotency: "accepted",
    success: { status: 200, description: "Liked, with the exact count.", data: likeResponseSchema },
    errors: { 404: ["COMMENT_NOT_FOUND"] },
  },
  {
    method: "delete",
    path: "/api/v1/comments/{cid}/like",
    operationId: "unlikeComment",
    tag: "comments",
    summary: "Take back a comment like (idempotent)",
    session: true,
    params: cid,
    idempotency: "accepted",
    success: { status: 200, description: "Not liked, with the exact count.", data: likeResponseSchema },
    errors: { 404: ["COMMENT_NOT_FOUND"] },
  },
);
