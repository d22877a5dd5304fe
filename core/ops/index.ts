/** The one dispatcher from a MutationOp to the code that performs it. */
import type { OpContext } from "./context";
import { addComment, deleteComment, editComment, setCommentLike } from "./comments";
import { setLike } from "./engagement";
import { setFollow, updateProfile } from "./graph";
import { uploadMedia } from "./media";
import { readNotifications } from "./notifications";
import { createPost, deletePost, editPost, sharePost } from "./posts";
import { changePassword, deleteAccount, endAllSessions } from "./account";
import { dismissSuggestion, setBlock, setMute } from "./relations";
import type { MutationOp, MutationResult } from "./types";

export async function runMutation(ctx: OpContext, op: MutationOp): Promise<MutationResult> {
  switch (op.kind) {
    case "createPost":
      return createPost(ctx, op.body);
    case "editPost":
      return editPost(ctx, op.postId, op.content);
    case "deletePost":
      return deletePost(ctx, op.postId);
    case "like":
      return setLike(ctx, op.postId, true);
    case "unlike":
      return setLike(ctx, op.postId, false);
    case "comment":
      return addComment(ctx, op.postId, op.content, op.parentId);
    case "editComment":
      return editComment(ctx, op.commentId, op.content);
    case "deleteComment":
      return deleteComment(ctx, op.commentId);
    case "likeComment":
      return setCommentLike(ctx, op.commentId, true);
    case "unlikeComment":
      return setCommentLike(ctx, op.commentId, false);
    case "readNotifications":
      return readNotifications(ctx, op.upTo);
    case "share":
      return sharePost(ctx, op.postId, op.body);
    case "follow":
      return setFollow(ctx, op.username, true);
    case "unfollow":
      return setFollow(ctx, op.username, false);
    case "updateProfile":
      return updateProfile(ctx, op.body);
    case "uploadMedia":
      return uploadMedia(ctx, op.image, op.bytes);
    case "block":
      return setBlock(ctx, op.username, true);
    case "unblock":
      return setBlock(ctx, op.username, false);
    case "mute":
      return setMute(ctx, op.username, true);
    case "unmute":
      return setMute(ctx, op.username, false);
    case "dismissSuggestion":
      return dismissSuggestion(ctx, op.username);
    case "changePassword":
      return changePassword(ctx, op.passwordHash, op.keepSession);
    case "endAllSessions":
      return endAllSessions(ctx);
    case "deleteAccount":
      return deleteAccount(ctx);
  }
}
