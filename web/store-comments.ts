/**
 * Comments: a post's top-level comments and each comment's replies, loaded on demand (or embedded
 * by the /post/:id page), one signal per comment so a count change re-renders one comment. Server
 * counts (socket, fresh copies) follow the store's rule 1 (web/store.ts): a field with a pending
 * change keeps its value and the server's is held on the change.
 *
 * The changes themselves (add, reply, edit, delete, like: web/comment-actions.ts) are not needed
 * before a thread is opened, so they load with the thread's code; this part is what the store,
 * the socket and a first paint need.
 */
import { signal, type Signal } from "@preact/signals";
import type { Comment, CommentEngagementField, CommentListResponse } from "../schema/api";
import { errorText, isTemp, type CommentsState } from "./store-core";
import type { StoreContext } from "./store-context";

/** An optimistic change to one comment's count, with what it replaced (web/comment-actions.ts makes them). */
export interface CommentAction {
  commentId: string;
  field: CommentEngagementField;
  original: Partial<Comment>;
  server?: number;
}

const closed = (): CommentsState => ({ open: false, loaded: false, loading: false, items: [], nextCursor: null, hasMore: false });

export function createComments({ boot, api, fail }: StoreContext) {
  const lists = new Map<string, Signal<CommentsState>>();
  const byCid = new Map<string, Signal<Comment>>();
  /** Pending changes to comments' counts, oldest first. */
  const actions: CommentAction[] = [];

  const list = (key: string) => lists.get(key) ?? lists.set(key, signal(closed())).get(key)!;
  /** A post's top-level comments. */
  const commentsOf = (postId: string) => list(`p:${postId}`);
  /** A top-level comment's replies. */
  const repliesOf = (commentId: string) => list(`r:${commentId}`);
  const comment = (id: string) => byCid.get(id);
  const listOf = (c: Comment) => (c.parentId ? repliesOf(c.parentId) : commentsOf(c.postId));

  // -------------------------------------------------------------------------------------------
  // Rule 1 for a comment's counts (web/store-pending.ts does the same for posts).
  const heldOn = (commentId: string, field: CommentEngagementField) => actions.filter((a) => a.commentId === commentId && a.field === field);
  function patchComment(id: string, values: Partial<Comment>) {
    const s = byCid.get(id);
    if (s) s.value = { ...s.value, ...values };
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

  return {
    commentsOf,
    repliesOf,
    comment,
    loadComments,
    loadReplies,
    toggleComments,
    toggleReplies,
    serverCommentCount,
    /** What web/comment-actions.ts needs of this part (one per store). */
    commentParts: { byCid, actions, listOf, heldOn, patchComment, putComment },
  };
}

export type CommentParts = ReturnType<typeof createComments>["commentParts"];
