/**
 * The feed's state: posts by id (one signal per post, so a count change re-renders one card), the
 * ordered ids with their paging cursors, the order (ranked or latest), and the new posts waiting
 * behind the "N new posts" banner. Paging (next page, reload, a switch of order) reads this page's
 * own list: the home feed, or a profile's posts.
 */
import { batch, signal, type Signal } from "@preact/signals";
import type { FeedResponse, Post } from "../schema/api";
import { isTemp, type BootState, type FeedMode } from "./store-core";

export function createFeedState(boot: BootState) {
  const byId = new Map<string, Signal<Post>>();
  const feedIds = signal<string[]>([]);
  const nextCursor = signal<string | null>(null);
  const hasMore = signal(false);
  const newestCursor = signal<string | null>(null);
  const loading = signal(false);
  const mode = signal<FeedMode>(boot.mode);
  /** New posts behind the banner, newest first (web/store-incoming.ts decides what waits there). */
  const queue = signal<Post[]>([]);

  function put(post: Post): Signal<Post> {
    const existing = byId.get(post.id);
    if (existing) {
      existing.value = post;
      return existing;
    }
    const s = signal(post);
    byId.set(post.id, s);
    return s;
  }

  /** A first page: replaces the feed (our temporary posts stay on top when `keepTemps`). */
  function setFeed(res: FeedResponse, keepTemps = false) {
    batch(() => {
      const temps = keepTemps ? feedIds.value.filter(isTemp) : [];
      for (const p of res.posts) put(p);
      const ids = res.posts.map((p) => p.id);
      feedIds.value = [...temps, ...ids.filter((id) => !temps.includes(id))];
      nextCursor.value = res.pagination.nextCursor;
      hasMore.value = res.pagination.hasMore;
      newestCursor.value = res.pagination.newestCursor;
      queue.value = [];
    });
  }

  /** Puts ids not yet in the feed at its top, below our temporary posts. */
  function insertTop(ids: string[]) {
    const fresh = ids.filter((id) => !feedIds.value.includes(id));
    if (fresh.length === 0) return;
    const temps = feedIds.value.filter(isTemp);
    const rest = feedIds.value.filter((id) => !isTemp(id));
    feedIds.value = [...temps, ...fresh, ...rest];
  }

  /** Takes a post out of the banner's queue (it is shown, or gone). */
  function unqueue(postId: string) {
    queue.value = queue.value.filter((p) => p.id !== postId);
  }

  /** Whether a post belongs in this page's feed: on a profile, only its author's posts do. */
  function wantsPost(post: Post): boolean {
    if (boot.page === "profile") return post.authorId === boot.profile?.id;
    return true;
  }

  /** The newest real posts, for the offline cache. */
  function snapshot(limit = 20): Post[] {
    const out: Post[] = [];
    for (const id of feedIds.value) {
      if (out.length >= limit) break;
      const p = byId.get(id);
      if (p && !isTemp(id)) out.push(p.value);
    }
    return out;
  }

  if (boot.feed) setFeed(boot.feed);

  return { byId, feedIds, nextCursor, hasMore, newestCursor, loading, mode, queue, put, setFeed, insertTop, unqueue, wantsPost, snapshot };
}

export type FeedState = ReturnType<typeof createFeedState>;
