/** Comments on posts: per-post lists loaded on demand, and optimistic adds with rollback. */
import { batch, signal, type Signal } from "@preact/signals";
import type { Comment, CommentListResponse, CommentResponse, CreateCommentBody } from "../schema/api";
import { errorText, isTemp, TEMP_PREFIX, type CommentsState } from "./store-core";
import type { StoreContext } from "./store-context";

export interface CommentsDeps extends StoreContext {
  comments: Map<string, Signal<CommentsState>>;
}

export function createComments({ api, clock, byId, viewer, comments, fail, pendingOn, addPending, patch, settle, rollback }: CommentsDeps) {
  function commentsOf(postId: string): Signal<CommentsState> {
    let s = comments.get(postId);
    if (!s) {
      s = signal<CommentsState>({ open: false, loaded: false, loading: false, items: [], nextCursor: null, hasMore: false });
      comments.set(postId, s);
    }
    return s;
  }

  async function loadComments(postId: string, more = false) {
    const s = commentsOf(postId);
    if (s.value.loading) return;
    s.value = { ...s.value, loading: true };
    const qs = more && s.value.nextCursor ? `?cursor=${encodeURIComponent(s.value.nextCursor)}` : "";
    const res = await api.call<CommentListResponse>("GET", `/api/v1/posts/${postId}/comments${qs}`);
    if (!res.ok) {
      s.value = { ...s.value, loading: false };
      return fail(`Couldn't load comments. ${errorText(res.code, res.message)}`);
    }
    const known = new Set(s.value.items.map((c) => c.id));
    const fresh = res.data.comments.filter((c) => !known.has(c.id));
    const items = more ? [...s.value.items, ...fresh] : [...res.data.comments, ...s.value.items.filter((c) => isTemp(c.id))];
    s.value = { ...s.value, loading: false, loaded: true, items, nextCursor: res.data.pagination.nextCursor, hasMore: res.data.pagination.hasMore };
  }

  function toggleComments(postId: string) {
    const s = commentsOf(postId);
    s.value = { ...s.value, open: !s.value.open };
    if (s.value.open && !s.value.loaded) void loadComments(postId);
  }

  async function addComment(postId: string, content: string): Promise<boolean> {
    const post = byId.get(postId)?.value;
    if (!post || !content.trim()) return false;
    const key = api.newKey();
    const held = pendingOn(postId, "commentCount")[0];
    const action = addPending({ kind: "comment", key, postId, field: "commentCount", original: held ? held.original : { commentCount: post.commentCount } });
    const temp: Comment = {
      id: TEMP_PREFIX + key,
      postId,
      authorId: viewer?.id ?? "",
      author: viewer ?? post.author,
      content: content.trim(),
      createdAt: new Date(clock()).toISOString(),
    };
    const s = commentsOf(postId);
    batch(() => {
      s.value = { ...s.value, open: true, items: [...s.value.items, temp] };
      patch(postId, { commentCount: post.commentCount + 1 });
    });
    const res = await api.call<CommentResponse>("POST", `/api/v1/posts/${postId}/comments`, { content: temp.content } satisfies CreateCommentBody, key);
    batch(() => {
      if (res.ok) {
        s.value = { ...s.value, items: s.value.items.map((c) => (c.id === temp.id ? res.data.comment : c)) };
        settle(action, null);
      } else {
        s.value = { ...s.value, items: s.value.items.filter((c) => c.id !== temp.id) };
        rollback(action, `Your comment wasn't posted. ${errorText(res.code, res.message)}`);
      }
    });
    return res.ok;
  }

  return { commentsOf, loadComments, toggleComments, addComment };
}
