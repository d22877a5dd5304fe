/** Paging the feed: the next page, a reload of the first, in the reader's mode. */
import { batch } from "@preact/signals";
import type { FeedResponse } from "../schema/api";
import { errorText, type FeedMode } from "./store-core";
import type { StoreContext } from "./store-context";

export function createPaging({ boot, api, feedIds, nextCursor, hasMore, newestCursor, loading, mode, setFeed, mergeServerPost, fail }: StoreContext) {
  function feedPath(cursor: string | null, limit: number): string {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (cursor) qs.set("cursor", cursor);
    if (boot.page === "profile" && boot.profile) return `/api/v1/users/${encodeURIComponent(boot.profile.username)}/posts?${qs}`;
    qs.set("mode", mode.value);
    return `/api/v1/feed?${qs}`;
  }

  async function loadMore(): Promise<void> {
    if (loading.value || !hasMore.value || !nextCursor.value) return;
    loading.value = true;
    const res = await api.call<FeedResponse>("GET", feedPath(nextCursor.value, 30));
    batch(() => {
      loading.value = false;
      if (!res.ok) return fail(`Couldn't load more posts. ${errorText(res.code, res.message)}`);
      const seen = new Set(feedIds.value);
      for (const p of res.data.posts) mergeServerPost(p);
      feedIds.value = [...feedIds.value, ...res.data.posts.map((p) => p.id).filter((id) => !seen.has(id))];
      nextCursor.value = res.data.pagination.nextCursor;
      hasMore.value = res.data.pagination.hasMore;
      if (!newestCursor.value) newestCursor.value = res.data.pagination.newestCursor;
    });
  }

  async function reload(nextMode: FeedMode = mode.value): Promise<boolean> {
    const previous = mode.value;
    mode.value = nextMode;
    loading.value = true;
    const res = await api.call<FeedResponse>("GET", feedPath(null, 20));
    loading.value = false;
    if (!res.ok) {
      mode.value = previous;
      fail(`Couldn't load the feed. ${errorText(res.code, res.message)}`);
      return false;
    }
    if (mode.value !== nextMode) return false; // a newer switch won
    setFeed(res.data, true);
    return true;
  }

  return { loadMore, reload };
}
