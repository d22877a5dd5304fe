/**
 * Editing and deleting the reader's own posts from their cards: the screen changes at once and
 * is rolled back, with a message, if the server says no. The change then reaches other readers
 * live through the API's own post_update messages.
 */
import type { Post, PostResponse } from "../schema/api";
import { errorText } from "./store-core";
import type { StoreContext } from "./store-context";

export function createOwnEdits({ api, byId, feedIds, mergeServerPost, fail }: StoreContext) {
  /** Shows `content` at once (marked edited); the server's copy replaces it, or the old text comes back. */
  async function editPost(postId: string, content: string): Promise<boolean> {
    const s = byId.get(postId);
    if (!s) return false;
    const before: Post = s.value;
    s.value = { ...before, content, updatedAt: new Date().toISOString() };
    const res = await api.call<PostResponse>("PATCH", `/api/v1/posts/${postId}`, { content }, api.newKey());
    if (res.ok) {
      mergeServerPost(res.data.post);
      return true;
    }
    s.value = { ...s.value, content: before.content, updatedAt: before.updatedAt };
    fail(`Your edit wasn't saved. ${errorText(res.code, res.message)}`);
    return false;
  }

  /** Takes the card away at once; it comes back where it was if the delete fails. */
  async function deletePost(postId: string): Promise<boolean> {
    const at = feedIds.value.indexOf(postId);
    if (at < 0) return false;
    feedIds.value = feedIds.value.filter((id) => id !== postId);
    const res = await api.call<{ deleted: true }>("DELETE", `/api/v1/posts/${postId}`, undefined, api.newKey());
    // Already gone (another tab deleted it) is what was asked for.
    if (res.ok || res.code === "POST_NOT_FOUND") return true;
    const ids = [...feedIds.value];
    ids.splice(Math.min(at, ids.length), 0, postId);
    feedIds.value = ids;
    fail(`Your post wasn't deleted. ${errorText(res.code, res.message)}`);
    return false;
  }

  return { editPost, deletePost };
}
