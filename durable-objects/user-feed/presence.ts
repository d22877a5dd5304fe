/**
 * This user's presence while tabs are open: leases at followed celebrities (their posts are
 * pulled, so they push live only to leaseholders) and watches on the newest home-feed posts.
 * Leases are refreshed by the alarm while sockets stay open, which also picks up authors who
 * became celebrities meanwhile.
 */
import { POST_VISIBLE_SQL } from "../../worker/data/posts";
import { jsonIds } from "../../worker/data/db";
import { mapPool } from "../../worker/lib/pool";
import type { FeedHost } from "./host";

/** Home-feed posts watched automatically when a tab connects. */
const AUTO_WATCH = 50;
export const LEASE_REFRESH_MS = 10 * 60_000;

async function followedCelebrities(host: FeedHost): Promise<string[]> {
  // Celebrities by flag or by count: one about to write its first pulled post needs the lease too.
  const { results } = await host.env.DB.prepare(
    `SELECT f.followee_id AS id FROM follows f JOIN users u ON u.id = f.followee_id
     WHERE f.follower_id = ? AND (u.is_pull_source = 1 OR u.follower_count >= ?)`,
  )
    .bind(host.userId, host.config.celebrityThreshold)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function goOnline(host: FeedHost): Promise<void> {
  await refreshLeases(host);
  await watchPosts(host, host.timeline.newest(AUTO_WATCH).map((e) => e.postId));
}

export async function refreshLeases(host: FeedHost): Promise<void> {
  const celebrities = await followedCelebrities(host);
  await mapPool(celebrities, 16, (id) => host.env.CELEBRITY_FEED.getByName(id).lease(host.userId));
}

export async function goOffline(host: FeedHost): Promise<void> {
  const celebrities = await followedCelebrities(host);
  await mapPool(celebrities, 16, (id) => host.env.CELEBRITY_FEED.getByName(id).release(host.userId));
}

/** Registers this user as a watcher of `postIds` (those it may see) at each post's author. */
export async function watchPosts(host: FeedHost, postIds: readonly string[]): Promise<void> {
  if (postIds.length === 0) return;
  const { results } = await host.env.DB.prepare(
    `SELECT p.id, p.author_id FROM posts p WHERE p.id IN (SELECT value FROM json_each(?2)) AND ${POST_VISIBLE_SQL}`,
  )
    .bind(host.userId, jsonIds(postIds))
    .all<{ id: string; author_id: string }>();
  const byAuthor = new Map<string, string[]>();
  for (const row of results) byAuthor.set(row.author_id, [...(byAuthor.get(row.author_id) ?? []), row.id]);
  await mapPool([...byAuthor], 16, ([authorId, ids]) => host.env.USER_FEED.getByName(authorId).addWatcher(host.userId, ids));
}
