/**
 * This user's presence while tabs are open: leases at followed celebrities (their posts are
 * pulled, so they push live only to leaseholders), watches on the newest home-feed posts, and
 * `users.online_until` in D1 (core/presence.ts: fan-outs deliver to online followers first).
 * Leases and the D1 presence are refreshed by the alarm while sockets stay open (which also picks
 * up authors who became celebrities meanwhile), so the presence costs one D1 write per connect,
 * per LEASE_REFRESH_MS while connected and per last close.
 */
import { DELIVERY_CONCURRENCY } from "../../core/config";
import { visiblePostsByAuthor } from "../../core/posts";
import { followedPullSources } from "../../core/users";
import { mapPool } from "../../core/pool";
import { markOffline, markOnline } from "../../core/presence";
import type { FeedHost } from "./host";

/** Home-feed posts watched automatically when a tab connects. */
const AUTO_WATCH = 50;
export const LEASE_REFRESH_MS = 10 * 60_000;

export async function goOnline(host: FeedHost): Promise<void> {
  await refreshLeases(host);
  await watchPosts(host, host.timeline.newest(AUTO_WATCH).map((e) => e.postId));
}

export async function refreshLeases(host: FeedHost): Promise<void> {
  await host.d1.writing((db) => markOnline(db, host.userId, Date.now()));
  const celebrities = await followedPullSources(host.d1.read(), host.userId, host.config.celebrityThreshold);
  await mapPool(celebrities, DELIVERY_CONCURRENCY, (id) => host.env.CELEBRITY_FEED.getByName(id).lease(host.userId));
}

export async function goOffline(host: FeedHost): Promise<void> {
  await host.d1.writing((db) => markOffline(db, host.userId, Date.now()));
  const celebrities = await followedPullSources(host.d1.read(), host.userId, host.config.celebrityThreshold);
  await mapPool(celebrities, DELIVERY_CONCURRENCY, (id) => host.env.CELEBRITY_FEED.getByName(id).release(host.userId));
}

/** Registers this user as a watcher of `postIds` (those it may see) at each post's author. */
export async function watchPosts(host: FeedHost, postIds: readonly string[]): Promise<void> {
  if (postIds.length === 0) return;
  const byAuthor = await visiblePostsByAuthor(host.d1.read(), host.userId, postIds);
  await mapPool([...byAuthor], DELIVERY_CONCURRENCY, ([authorId, ids]) => host.env.USER_FEED.getByName(authorId).addWatcher(host.userId, ids));
}
