/**
 * This user as an author: live news of their posts to the viewers holding leases here
 * (user-feed/audience.ts). Every message is built for its recipient at the moment it goes out,
 * by the same SQL and the same postsFromRows as a REST read (core/posts.ts
 * `postForViewers`), in one D1 statement per push whatever the number of recipients: a share
 * carries `sharedPost: null` to someone who may not see the original, `isLiked` is the
 * recipient's, and a viewer who may no longer see the post (a friendship ended) gets nothing and
 * loses the lease. A lease whose viewer has no socket left is dropped on the spot.
 */
import type { Post } from "../../schema/api";
import { postForViewers, viewersWhoMaySee } from "../../core/posts";
import { friendsAmong } from "../../core/users";
import { DELIVERY_CONCURRENCY } from "../../core/config";
import { mapPool } from "../../core/pool";
import type { FeedHost } from "./host";
import type { LiveEvent } from "./live";


/** What the author's object knows of a post when its counts change (from the mutation that changed them). */
export type EngagementEvent = Extract<LiveEvent, { type: "engagement_update" }>;

export async function announceEdit(host: FeedHost, postId: string): Promise<void> {
  const watchers = host.audience.watchersOf(postId, Date.now()).filter((id) => id !== host.userId);
  const views = await postForViewers(host.d1.read(), [host.userId, ...watchers], postId, host.config.celebrityThreshold);
  const own = views.get(host.userId);
  if (own) await host.pushToOwnSockets({ type: "post_update", post: own });
  await pushEach(host, watchers, postId, (viewerId) => {
    const post = views.get(viewerId);
    return post && { type: "post_update", post };
  });
}

export async function announceDelete(host: FeedHost, postId: string, privacy: Post["privacy"]): Promise<void> {
  await host.pushToOwnSockets({ type: "post_deleted", postId });
  let watchers = host.audience.watchersOf(postId, Date.now()).filter((id) => id !== host.userId);
  // The post is gone from D1, so who may have seen it is asked of the friendship, not the post.
  if (privacy === "friends") watchers = await friendsAmong(host.d1.read(), host.userId, watchers);
  await pushEach(host, watchers, postId, () => ({ type: "post_deleted", postId }));
  host.audience.dropPost(postId);
}

/** A count changed: counts carry no text, so only the friends-only case needs a check. */
export async function announceEngagement(host: FeedHost, event: EngagementEvent, privacy: Post["privacy"]): Promise<void> {
  await host.pushToOwnSockets(event);
  let watchers = host.audience.watchersOf(event.postId, Date.now()).filter((id) => id !== host.userId);
  if (privacy === "friends" && watchers.length > 0) {
    const allowed = new Set(await viewersWhoMaySee(host.d1.read(), watchers, event.postId));
    for (const id of watchers) if (!allowed.has(id)) host.audience.dropWatcher(id, event.postId);
    watchers = watchers.filter((id) => allowed.has(id));
  }
  await pushEach(host, watchers, event.postId, () => event);
}

/** Sends each watcher its message (none: it may not see the post now, and its lease goes). */
async function pushEach(host: FeedHost, watchers: readonly string[], postId: string, build: (viewerId: string) => LiveEvent | undefined): Promise<void> {
  await mapPool(watchers, DELIVERY_CONCURRENCY, async (viewerId) => {
    const event = build(viewerId);
    const delivered = event !== undefined && (await host.env.USER_FEED.getByName(viewerId).pushLive(event));
    if (!delivered) host.audience.dropWatcher(viewerId, postId);
  });
}

/** A new post by this user, for profile-page subscribers, each as they may see it; `bookmark`: the post's write. */
export async function notifySubscribers(host: FeedHost, postId: string, bookmark?: string | null): Promise<void> {
  const subscribers = host.audience.subscribers(Date.now()).filter((id) => id !== host.userId);
  const views = await postForViewers(host.d1.read(), subscribers, postId, host.config.celebrityThreshold);
  await mapPool(subscribers, DELIVERY_CONCURRENCY, async (viewerId) => {
    const post = views.get(viewerId);
    if (!post) return;
    const delivered = await host.env.USER_FEED.getByName(viewerId).pushLive({ type: "new_post", post, via: "author" }, bookmark);
    if (!delivered) host.audience.unsubscribe(viewerId);
  });
}
