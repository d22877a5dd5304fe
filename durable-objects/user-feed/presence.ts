/**
 * This user's presence while tabs are open: leases at followed celebrities (their posts are
 * pulled, so they push live only to leaseholders) and watches on the newest home-feed posts.
 * Leases are refreshed by the alarm while sockets stay open, which also picks up authors who
 * became celebrities meanwhile.
 */
import { DELIVERY_CONCURRENCY } from "../../core/config";
import { visiblePostsByAuthor } from "../../core/posts";
import { followedPullSources } from "../../core/users";
import { mapPool } from "../../core/pool";
import type { FeedHost } from "./host";

/** Home-feed posts watched automatically when a tab connects. */
const AUTO_WATCH = 50;
export const LEASE_REFRESH_MS = 10 * 60_000;

export async function goOnline(host: FeedHost): Promise<void> {
  await refreshLeases(host);
  await watchPosts(host, host.timeline.newest(AUTO_WATCH).map((e) => e.postId));
}

export async function refreshLeases(host: FeedHost): Promise<void> {
  const celebrities = await followedPullSources(host.d1.read(), host.userId, host.config.celebrityThreshold);
  await mapPool(celebrities, DELIVERY_CONCURRENCY, (id) => host.env.CELEBRITY_FEED.getByName(id).lease(host.userId));
}

export async function goOffline(host: FeedHost): Promise<void> {
  const celebrities = await followedPullSources(host.d1.read(), host.userId, host.config.celebrityThreshold);
  await mapPool(celebrities, DELIVERY_CONCURRENCY, (id) => host.env.CELEBRITY_FEED.getByName(id).release(host.userId));
}

/** Registers this user as a watcher of `postIds` (those it may see) at each post's author. */
export async function watchPosts(host: FeedHost, postIds: readonly string[]): Promise<void> {
  if (postIds.length === 0) return;
  const byAuthor = await visiblePostsByAuthor(host.d1.read(), host.userId, postIds);
  await mapPool([...byAuthor], DELIVERY_CONCURRENCY, ([authorId, ids]) => host.env.USER_FEED.getByName(authorId).addWatcher(host.userId, ids));
}
