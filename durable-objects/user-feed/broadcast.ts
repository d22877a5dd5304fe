/**
 * This user as an author: live news of their posts to the viewers holding leases here
 * (user-feed/audience.ts). A lease whose viewer has no socket left is dropped on the spot.
 */
import type { Post } from "../../schema/api";
import { jsonIds } from "../../worker/data/db";
import { mapPool } from "../../worker/lib/pool";
import type { FeedHost } from "./host";
import type { LiveEvent } from "./live";

const PUSH_CONCURRENCY = 32;

type WatchedEvent = Extract<LiveEvent, { type: "engagement_update" | "post_update" | "post_deleted" }>;

export async function announceToWatchers(host: FeedHost, event: WatchedEvent): Promise<void> {
  const postId = event.type === "post_update" ? event.post.id : event.postId;
  await host.pushToOwnSockets(event);
  const watchers = host.audience.watchersOf(postId, Date.now()).filter((id) => id !== host.userId);
  await mapPool(watchers, PUSH_CONCURRENCY, async (viewerId) => {
    const delivered = await host.env.USER_FEED.getByName(viewerId).pushLive(event);
    if (!delivered) host.audience.dropWatcher(viewerId, postId);
  });
  if (event.type === "post_deleted") host.audience.dropPost(postId);
}

/** Of `userIds`, those who are `authorId`'s friends (mutual follows): one query, any count. */
export async function friendsAmong(db: D1Database, authorId: string, userIds: readonly string[]): Promise<string[]> {
  if (userIds.length === 0) return [];
  const { results } = await db
    .prepare(
      `SELECT s.value AS id FROM json_each(?2) s
       WHERE EXISTS (SELECT 1 FROM follows a WHERE a.follower_id = ?1 AND a.followee_id = s.value)
         AND EXISTS (SELECT 1 FROM follows b WHERE b.follower_id = s.value AND b.followee_id = ?1)`,
    )
    .bind(authorId, jsonIds(userIds))
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** A new post by this user, for profile-page subscribers who may see it. */
export async function notifySubscribers(host: FeedHost, post: Post): Promise<void> {
  let subscribers = host.audience.subscribers(Date.now()).filter((id) => id !== host.userId);
  if (post.privacy === "friends") subscribers = await friendsAmong(host.env.DB, host.userId, subscribers);
  await mapPool(subscribers, PUSH_CONCURRENCY, async (viewerId) => {
    const delivered = await host.env.USER_FEED.getByName(viewerId).pushLive({ type: "new_post", post, via: "author" });
    if (!delivered) host.audience.unsubscribe(viewerId);
  });
}
