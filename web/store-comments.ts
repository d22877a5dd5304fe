/**
 * Comments: a post's top-level comments and each comment's replies, loaded on demand (or embedded
 * by the /post/:id page), one signal per comment so a count change re-renders one comment.
 * Adding, replying, editing, deleting and liking change the screen at once and are settled by the
 * server's answer or rolled back with a message, by the store's rules (web/store.ts): a server
 * count for a field with a pending change is held on the action (rule 1), a failure restores what
 * the action replaced (rule 3), and likes on one comment reach the server in click order.
 */
import { batch, signal, type Signal } from "@preact/signals";
import type { Comment, CommentEngagementField, CommentListResponse, CommentResponse, CreateCommentBody, LikeResponse } from "../schema/api";
import { errorText, isTemp, TEMP_PREFIX, type CommentsState, type Pending } from "./store-core";
import type { StoreContext } from "./store-context";

/** An optimistic change to one comment's count, with what it replaced. */
interface CommentAction {
  commentId: string;
  field: CommentEngagementField;
  original: Partial<Comment>;
  server?: number;
}

const closed = (): CommentsState => ({ open: false, loaded: false, loading: false, items: [], nextCursor: null, hasMore: false });

export function createComments({ boot, api, clock, byId, viewer, fail, pendingOn, addPending, patch, settle, rollback }: StoreContext) {
  const lists = new Map<string, Signal<CommentsState>>();
  const byCid = new Map<string, Signal<Comment>>();
  const actions: CommentAction[] = [];
  const likeChains = new Map<string, Promise<unknown>>();

  const list = (key: string) => lists.get(key) ?? lists.set(key, signal(closed())).get(key)!;
  /** A post's top-level comments. */
  const commentsOf = (postId: string) => list(`p:${postId}`);
  /** A top-level comment's replies. */
  const repliesOf = (commentId: string) => list(`r:${commentId}`);
  const comment = (id: string) => byCid.get(id);
  const listOf = (c: Comment) => (c.parentId ? repliesOf(c.parentId) : commentsOf(c.postId));

  // -------------------------------------------------------------------------------------------
  // Rules 1 and 3 for a comment's counts (web/store-pending.ts does the same for posts).
  const heldOn = (commentId: string, field: CommentEngagementField) => actions.filter((a) => a.commentId === commentId && a.field === field);
  function patchComment(id: string, values: Partial<Comment>) {
    const s = byCid.get(id);
    if (s) s.value = { ...s.value, ...values };
  }
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
  /** A count from the server (socket, or a fresh copy): held while the field has a pending change. */
  function serverCommentCount(commentId: string, field: CommentEngagementField, value: number) {
    const held = heldOn(commentId, field);
    if (held.length > 0) for (const a of held) a.server = value;
    else patchComment(commentId, { [field]: value });
  }
  function putComment(c: Comment) {
    const s = byCid.get(c.id);
    if (!s) return void byCid.set(c.id, signal(c));
    const next = { ...c };
    for (const field of ["likeCount", "replyCount"] as const) {
      const held = heldOn(c.id, field);
      if (held.length === 0) continue;
      for (const a of held) a.server = c[field];
      next[field] = s.value[field];
      if (field === "likeCount") next.isLiked = s.value.isLiked;
    }
    s.value = next;
  }
  function fill(key: string, page: CommentListResponse, more: boolean) {
    const s = list(key);
    for (const c of page.comments) putComment(c);
    const fresh = page.comments.map((c) => c.id).filter((id) => !s.value.items.includes(id));
    const items = more ? [...s.value.items, ...fresh] : [...page.comments.map((c) => c.id), ...s.value.items.filter(isTemp)];
    s.value = { ...s.value, open: true, loading: false, loaded: true, items, nextCursor: page.pagination.nextCursor, hasMore: page.pagination.hasMore };
  }

  // The /post/:id page opens every thread from the embedded state (nothing is fetched).
  if (boot.thread && boot.feed?.posts[0]) {
    fill(`p:${boot.feed.posts[0].id}`, boot.thread.comments, false);
    for (const [id, page] of Object.entries(boot.thread.replies)) fill(`r:${id}`, page, false);
  }

  // -------------------------------------------------------------------------------------------
  // Loading

  async function load(key: string, path: string, more: boolean, what: string) {
    const s = list(key);
    if (s.value.loading) return;
    s.value = { ...s.value, loading: true };
    const qs = more && s.value.nextCursor ? `?cursor=${encodeURIComponent(s.value.nextCursor)}` : "";
    const res = await api.call<CommentListResponse>("GET", `${path}${qs}`);
    if (res.ok) return fill(key, res.data, more);
    s.value = { ...s.value, loading: false };
    fail(`Couldn't load ${what}. ${errorText(res.code, res.message)}`);
  }
  const loadComments = (postId: string, more = false) => load(`p:${postId}`, `/api/v1/posts/${postId}/comments`, more, "comments");
  const loadReplies = (commentId: string, more = false) => load(`r:${commentId}`, `/api/v1/comments/${commentId}/replies`, more, "replies");

  function toggle(s: Signal<CommentsState>, loadFirst: () => Promise<void>) {
    s.value = { ...s.value, open: !s.value.open };
    if (s.value.open && !s.value.loaded) void loadFirst();
  }
  const toggleComments = (postId: string) => toggle(commentsOf(postId), () => loadComments(postId));
  const toggleReplies = (commentId: string) => toggle(repliesOf(commentId), () => loadReplies(commentId));

  // -------------------------------------------------------------------------------------------
  // Writing

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

  return { commentsOf, repliesOf, comment, loadComments, loadReplies, toggleComments, toggleReplies, addComment, editComment, deleteComment, toggleCommentLike, serverCommentCount };
}
