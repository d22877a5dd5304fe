/** The one dispatcher from a MutationOp to the code that performs it. */
import type { OpContext } from "./context";
import { addComment, setLike } from "./engagement";
import { setFollow, updateProfile } from "./graph";
import { createPost, deletePost, editPost, sharePost } from "./posts";
import { changePassword, deleteAccount, endAllSessions } from "./account";
import { dismissSuggestion, setBlock, setMute } from "./relations";
import type { MutationOp, MutationResult } from "./types";

export function runMutation(ctx: OpContext, op: MutationOp): Promise<MutationResult> {
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
      return addComment(ctx, op.postId, op.content);
    case "share":
      return sharePost(ctx, op.postId, op.body);
    case "follow":
      return setFollow(ctx, op.username, true);
    case "unfollow":
      return setFollow(ctx, op.username, false);
    case "updateProfile":
      return updateProfile(ctx, op.body);
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
