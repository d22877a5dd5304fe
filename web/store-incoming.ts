/**
 * What arrives from the server unasked: new posts, edits and deletes from the socket (web/live.ts)
 * or from `/feed/updates` (catch-up after a reconnect, polling without a socket). A new post goes
 * into the feed at once when the reader is at the top and idle, otherwise it waits in the queue
 * behind the "N new posts" banner.
 */
import { batch, signal } from "@preact/signals";
import type { FeedUpdatesResponse, Post, ServerMessage } from "../schema/api";
import type { StoreContext } from "./store-context";

/** A `post_update` message's payload: the edited post, or the id of a deleted one. */
export type PostUpdate = Extract<ServerMessage, { type: "post_update" }>["payload"];

export interface IncomingDeps extends StoreContext {
  /** Rule 2: true when the post is our own pending one (now resolved), web/store-own-posts.ts. */
  resolveOwn: (post: Post) => boolean;
  reload: () => Promise<boolean>;
}

export function createIncoming({ boot, api, byId, feedIds, newestCursor, queue, put, insertTop, unqueue, wantsPost, mergeServerPost, resolveOwn, reload }: IncomingDeps) {
  const atTop = signal(true);
  const idle = signal(true);

  /** A post that entered the feed live (socket) or by polling. */
  function receivePost(post: Post) {
    if (!wantsPost(post)) return;
    if (byId.has(post.id) && feedIds.value.includes(post.id)) return mergeServerPost(post);
    if (queue.value.some((p) => p.id === post.id)) return;
    // Rule 2: our own post's new_post may beat the HTTP response.
    if (resolveOwn(post)) return;
    put(post);
    if (atTop.value && idle.value) insertTop([post.id]);
    else queue.value = [post, ...queue.value];
  }

  /** Shows the queued new posts (the banner's action, or automatically at the top when idle). */
  function showQueued() {
    if (queue.value.length === 0) return;
    batch(() => {
      const q = queue.value;
      for (const p of q) put(p);
      insertTop(q.map((p) => p.id));
      queue.value = [];
    });
  }

  function setViewport(top: boolean, isIdle: boolean) {
    batch(() => {
      atTop.value = top;
      idle.value = isIdle;
      if (top && isIdle) showQueued();
    });
  }

  function postUpdated(payload: PostUpdate) {
    if ("deleted" in payload) {
      batch(() => {
        feedIds.value = feedIds.value.filter((id) => id !== payload.postId);
        unqueue(payload.postId);
      });
      return;
    }
    if (byId.has(payload.post.id)) mergeServerPost(payload.post);
  }

  /** The answer of /feed/updates (polling without a socket, or after a reconnect). */
  async function catchUp(): Promise<void> {
    if (boot.page !== "home" || !newestCursor.value) return;
    const res = await api.call<FeedUpdatesResponse>("GET", `/api/v1/feed/updates?since=${encodeURIComponent(newestCursor.value)}`);
    if (!res.ok) return;
    if (res.data.reload) {
      await reload();
      return;
    }
    batch(() => {
      // Oldest first so the newest ends on top.
      for (const p of [...res.data.posts].reverse()) receivePost(p);
      newestCursor.value = res.data.newestCursor;
    });
  }

  return { atTop, idle, receivePost, showQueued, setViewport, postUpdated, catchUp };
}
