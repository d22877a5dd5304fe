/**
 * Writing comments: add, reply, edit, delete, like. Each changes the screen at once and is settled
 * by the server's answer or rolled back with a message, by the store's rules (web/store.ts): a
 * server count for a field with a pending change is held on the change (rule 1), a failure
 * restores what the change replaced (rule 3), and likes on one comment reach the server in click
 * order. Loaded with the thread's code (web/components/Thread.tsx), not with a feed's first paint:
 * web/store-comments.ts holds the state these act on.
 */
import { batch, signal } from "@preact/signals";
import type { Comment, CommentEngagementField, CommentResponse, CreateCommentBody, LikeResponse } from "../schema/api";
import type { Store } from "./store";
import type { CommentAction, CommentParts } from "./store-comments";
import { errorText, isTemp, TEMP_PREFIX, type Pending } from "./store-core";
import type { StoreContext } from "./store-context";

export type CommentActions = ReturnType<typeof createCommentActions>;

const made = new WeakMap<Store, CommentActions>();

/** The store's comment actions (one set per store, so likes on a comment stay in click order). */
export function commentActionsFor(store: Store): CommentActions {
  let actions = made.get(store);
  if (!actions) made.set(store, (actions = createCommentActions(store.context, store.commentParts)));
  return actions;
}

export function createCommentActions(ctx: StoreContext, parts: CommentParts) {
  const { api, clock, byId, viewer, fail, pendingOn, addPending, patch, settle, rollback } = ctx;
  const { byCid, actions, listOf, heldOn, patchComment, putComment } = parts;
  const comment = (id: string) => byCid.get(id);
  const likeChains = new Map<string, Promise<unknown>>();

  function begin(commentId: string, field: CommentEngagementField, original: Partial<Comment>): CommentAction {
    const held = heldOn(commentId, field)[0];
    const action: CommentAction = { commentId, field, original: held ? held.original : original };
    actions.push(action);
    return action;
  }

  function finish(action: CommentAction, values: Partial<Comment> | null, failed: boolean) {
    actions.splice(actions.indexOf(action), 1);
    const later = heldOn(action.commentId, action.field);
    if (later.length > 0) {
      // A later change to the same field is still out: it settles the display.
      const value = values?.[action.field];
      for (const a of later) {
        if (failed) a.original = action.original;
        else if (typeof value === "number") a.server = value;
      }
      return;
    }
    const held = action.server !== undefined ? { [action.field]: action.server } : {};
    if (failed) patchComment(action.commentId, { ...action.original, ...held });
    else patchComment(action.commentId, values ?? held);
  }

  /** A comment on `postId`, or a reply when `replyTo` names a comment (a reply to a reply answers its top-level comment). */
  async function addComment(postId: string, content: string, replyTo?: string): Promise<boolean> {
    const post = byId.get(postId)?.value;
    const text = content.trim();
    if (!post || !text || !viewer) return false;
    const parentId = replyTo ? (comment(replyTo)?.value.parentId ?? replyTo) : null;
    const key = api.newKey();
    const held = pendingOn(postId, "commentCount")[0];
    const postAction = addPending({ kind: "comment", key, postId, field: "commentCount", original: held ? held.original : { commentCount: post.commentCount } });
    const at = new Date(clock()).toISOString();
    const temp: Comment = { id: TEMP_PREFIX + key, postId, userId: viewer.id, user: viewer, content: text, likeCount: 0, isLiked: false, parentId, replyCount: 0, mentions: [], createdAt: at, updatedAt: at };
    const where = listOf(temp);
    const parent = parentId ? comment(parentId) : undefined;
    const parentAction = parent && begin(parentId!, "replyCount", { replyCount: parent.value.replyCount });
    batch(() => {
      byCid.set(temp.id, signal(temp));
      where.value = { ...where.value, open: true, items: [...where.value.items, temp.id] };
      patch(postId, { commentCount: post.commentCount + 1 });
      if (parent) patchComment(parent.value.id, { replyCount: parent.value.replyCount + 1 });
    });
    const body: CreateCommentBody = parentId ? { content: text, parentId } : { content: text };
    const res = await api.call<CommentResponse>("POST", `/api/v1/posts/${postId}/comments`, body, key);
    batch(() => {
      byCid.delete(temp.id);
      if (res.ok) {
        putComment(res.data.comment);
        where.value = { ...where.value, items: where.value.items.map((id) => (id === temp.id ? res.data.comment.id : id)) };
        settle(postAction, null);
        if (parentAction) finish(parentAction, null, false);
      } else {
        where.value = { ...where.value, items: where.value.items.filter((id) => id !== temp.id) };
        if (parentAction) finish(parentAction, null, true);
        rollback(postAction, `Your ${parentId ? "reply" : "comment"} wasn't posted. ${errorText(res.code, res.message)}`);
      }
    });
    return res.ok;
  }

  async function editComment(id: string, content: string): Promise<boolean> {
    const s = comment(id);
    const text = content.trim();
    if (!s || isTemp(id) || !text) return false;
    const before = s.value;
    s.value = { ...before, content: text };
    const res = await api.call<CommentResponse>("PATCH", `/api/v1/comments/${id}`, { content: text }, api.newKey());
    if (res.ok) putComment(res.data.comment);
    else {
      s.value = { ...s.value, content: before.content, updatedAt: before.updatedAt };
      fail(`Your edit wasn't saved. ${errorText(res.code, res.message)}`);
    }
    return res.ok;
  }

  /** Deletes a comment (and, for a top-level one, its replies) from the screen at once. */
  async function deleteComment(id: string): Promise<boolean> {
    const s = comment(id);
    const post = s && byId.get(s.value.postId)?.value;
    if (!s || !post || isTemp(id)) return false;
    const c = s.value;
    const where = listOf(c);
    const index = where.value.items.indexOf(id);
    const gone = 1 + (c.parentId ? 0 : c.replyCount);
    const held = pendingOn(post.id, "commentCount")[0];
    const postAction: Pending = addPending({ kind: "uncomment", key: api.newKey(), postId: post.id, field: "commentCount", original: held ? held.original : { commentCount: post.commentCount } });
    const parent = c.parentId ? comment(c.parentId) : undefined;
    const parentAction = parent && begin(parent.value.id, "replyCount", { replyCount: parent.value.replyCount });
    batch(() => {
      where.value = { ...where.value, items: where.value.items.filter((x) => x !== id) };
      patch(post.id, { commentCount: Math.max(0, post.commentCount - gone) });
      if (parent) patchComment(parent.value.id, { replyCount: Math.max(0, parent.value.replyCount - 1) });
    });
    const res = await api.call("DELETE", `/api/v1/comments/${id}`, undefined, postAction.key);
    batch(() => {
      if (res.ok) {
        settle(postAction, null);
        if (parentAction) finish(parentAction, null, false);
        return;
      }
      const items = [...where.value.items];
      items.splice(Math.min(Math.max(index, 0), items.length), 0, id);
      where.value = { ...where.value, items };
      if (parentAction) finish(parentAction, null, true);
      rollback(postAction, `Couldn't delete the comment. ${errorText(res.code, res.message)}`);
    });
    return res.ok;
  }

  /** Like or unlike, sent in click order per comment. */
  function toggleCommentLike(id: string): Promise<unknown> {
    const s = comment(id);
    if (!s || isTemp(id)) return Promise.resolve();
    const c = s.value;
    const liked = !c.isLiked;
    const action = begin(id, "likeCount", { isLiked: c.isLiked, likeCount: c.likeCount });
    patchComment(id, { isLiked: liked, likeCount: Math.max(0, c.likeCount + (liked ? 1 : -1)) });
    const key = api.newKey();
    const run = async () => {
      const res = await api.call<LikeResponse>(liked ? "POST" : "DELETE", `/api/v1/comments/${id}/like`, undefined, key);
      if (res.ok) finish(action, { isLiked: res.data.liked, likeCount: res.data.likeCount }, false);
      else {
        finish(action, null, true);
        fail(`Couldn't ${liked ? "like" : "unlike"} the comment. ${errorText(res.code, res.message)}`);
      }
    };
    const chain = (likeChains.get(id) ?? Promise.resolve()).then(run, run);
    likeChains.set(id, chain);
    return chain;
  }

  return { addComment, editComment, deleteComment, toggleCommentLike };
}
