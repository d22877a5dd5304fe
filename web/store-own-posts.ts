/**
 * The reader's own posts (rule 2 of web/store.ts): shown at once under a temporary id and replaced
 * in place by the real one exactly once, whichever arrives first: the HTTP response or the post's
 * own `new_post`. A failed post is removed with a message. A post written offline stays, marked
 * queued, until the service worker's outbox reports it sent (web/offline.ts, web/sw.ts).
 */
import { batch } from "@preact/signals";
import type { CreatePostBody, Post, PostResponse } from "../schema/api";
import { errorText, TEMP_PREFIX, type ApiResult, type Pending, type PostBody, type QueuedPost } from "./store-core";
import type { StoreContext } from "./store-context";
import type { QueuedResponse } from "./sw-messages";

export function createOwnPosts({ api, clock, viewer, pending, byId, feedIds, put, insertTop, unqueue, wantsPost, addPending, dropPending, mergeServerPost, fail }: StoreContext) {
  function tempPost(key: string, body: PostBody, at: number): Post {
    const iso = new Date(at).toISOString();
    return {
      id: TEMP_PREFIX + key,
      authorId: viewer?.id ?? "",
      author: viewer ?? { id: "", username: "you", displayName: "You", avatarUrl: null, isCelebrity: false },
      content: body.content,
      imageUrl: body.media[0]?.url ?? body.imageUrl,
      media: body.media,
      postType: body.imageUrl || body.media.length ? "image" : "text",
      privacy: body.privacy,
      likeCount: 0,
      commentCount: 0,
      shareCount: 0,
      isLiked: false,
      createdAt: iso,
      updatedAt: iso,
      mentions: [],
    };
  }

  /** Rule 2: the real post takes the temporary one's place, exactly once. */
  function resolvePost(key: string, real: Post) {
    batch(() => {
      const action = pending.value.find((a) => a.kind === "post" && a.key === key);
      if (action) dropPending(action);
      const tempId = TEMP_PREFIX + key;
      mergeServerPost(real);
      const ids = feedIds.value;
      if (ids.includes(real.id)) feedIds.value = ids.filter((id) => id !== tempId);
      else if (ids.includes(tempId)) feedIds.value = ids.map((id) => (id === tempId ? real.id : id));
      else if (wantsPost(real)) insertTop([real.id]);
      byId.delete(tempId);
      unqueue(real.id);
    });
  }

  /** Rule 2 from the other side: a live post that is our own pending one resolves it (true) instead of arriving as new. */
  function resolveOwn(post: Post): boolean {
    if (!viewer || post.authorId !== viewer.id) return false;
    const mediaIds = (media: readonly { id: string }[]) => media.map((m) => m.id).join();
    const own = pending.value.find(
      (a) =>
        a.kind === "post" &&
        a.body &&
        a.body.content === post.content &&
        (a.body.imageUrl ?? null) === (post.media.length ? null : (post.imageUrl ?? null)) &&
        mediaIds(a.body.media ?? []) === mediaIds(post.media),
    );
    if (!own) return false;
    resolvePost(own.key, post);
    return true;
  }

  function createPost(input: Pick<PostBody, "content"> & Partial<PostBody>, key = api.newKey()): Promise<boolean> {
    const body: PostBody = { content: input.content, imageUrl: input.imageUrl || null, privacy: input.privacy ?? "public", media: input.media ?? [] };
    const temp = tempPost(key, body, clock());
    const action = addPending({ kind: "post", key, postId: temp.id, original: {}, body });
    batch(() => {
      put(temp);
      feedIds.value = [temp.id, ...feedIds.value];
    });
    return sendPost(action);
  }

  async function sendPost(action: Pending): Promise<boolean> {
    const { media, ...body } = action.body!;
    const request: CreatePostBody = { ...body, imageUrl: body.imageUrl ?? undefined };
    // The uploads are done before a post is sent (or queued): it names them by id.
    if (media.length) request.media = media.map((m) => (m.alt ? { id: m.id, alt: m.alt } : { id: m.id }));
    // Offline, the service worker answers for the server: the post waits in its outbox.
    const res = await api.call<PostResponse | QueuedResponse>("POST", "/api/v1/posts", request, action.key);
    if (!res.ok) {
      failPost(action.key, res.code, res.message);
      return false;
    }
    if ("queued" in res.data) {
      markQueued(action.key);
      return true;
    }
    if (res.data.post) {
      resolvePost(action.key, res.data.post);
      return true;
    }
    return false;
  }

  function markQueued(key: string) {
    pending.value = pending.value.map((a) => (a.kind === "post" && a.key === key ? { ...a, queued: true } : a));
  }

  function failPost(key: string, code: string, message?: string) {
    const action = pending.value.find((a) => a.kind === "post" && a.key === key);
    batch(() => {
      if (action) dropPending(action);
      const tempId = TEMP_PREFIX + key;
      feedIds.value = feedIds.value.filter((id) => id !== tempId);
      byId.delete(tempId);
      fail(`Your post wasn't published. ${errorText(code, message)}`);
    });
  }

  /** Shows posts written offline (from the outbox mirror) after a reload. */
  function restoreQueued(items: QueuedPost[]) {
    batch(() => {
      for (const item of items) {
        if (pending.value.some((a) => a.key === item.key)) continue;
        const body: PostBody = { ...item.body, media: item.body.media ?? [] }; // mirrors written before media had none
        const temp = tempPost(item.key, body, item.at);
        addPending({ kind: "post", key: item.key, postId: temp.id, original: {}, body, queued: true });
        put(temp);
        feedIds.value = [temp.id, ...feedIds.value.filter((id) => id !== temp.id)];
      }
    });
  }

  /** The service worker's outbox holds only `keys`: queued posts not among them were sent earlier. */
  function forgetQueued(keys: string[]) {
    batch(() => {
      for (const a of pending.value.filter((a) => a.kind === "post" && a.queued && !keys.includes(a.key))) {
        dropPending(a);
        feedIds.value = feedIds.value.filter((id) => id !== a.postId);
        byId.delete(a.postId);
      }
    });
  }

  /** The outbox replayed a post: `post` when it was published, else its error. */
  function outboxResult(key: string, result: ApiResult<PostResponse>) {
    if (result.ok) resolvePost(key, result.data.post);
    else failPost(key, result.code, result.message);
  }

  return { createPost, resolvePost, resolveOwn, markQueued, restoreQueued, forgetQueued, outboxResult };
}
