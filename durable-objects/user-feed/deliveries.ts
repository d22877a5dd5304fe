/**
 * What other objects deliver into this user's timeline and screens (the RPC methods of UserFeed
 * call these): a followee's new post, a delete, an edit, an author's backfill after a follow or a
 * new friendship, and forgetting a user (a block either way, an erased account).
 */
import type { Post } from "../../schema/api";
import { authorPostsFromD1, type TimelineEntry } from "../../core/feed/timeline-sources";
import type { FeedHost } from "./host";

/** A followee's post for this timeline (fan-out). Idempotent on post id; `post` (absent for a muter) goes live. */
export async function deliver(host: FeedHost, entries: TimelineEntry[], post?: Post): Promise<number> {
  const added = host.timeline.insert(entries);
  if (post && added.some((e) => e.postId === post.id)) await host.pushToOwnSockets({ type: "new_post", post, via: "home" });
  return added.length;
}

/** A deleted post leaves this timeline and the screens showing it. */
export async function retract(host: FeedHost, postId: string): Promise<number> {
  const removed = host.timeline.remove([postId]);
  if (removed > 0) await host.pushToOwnSockets({ type: "post_deleted", postId });
  return removed;
}

/**
 * `otherId` and this user blocked one another, or `otherId`'s account is being erased: its posts
 * leave this timeline and the screens showing them (`postIds`: those of its posts watched from
 * here, which need not be in the timeline), and its leases on this user's posts end. Returns how
 * many entries left, and which of this user's posts `otherId` was watching (for its own screens).
 */
export async function forgetUser(host: FeedHost, otherId: string, postIds: readonly string[] = []): Promise<{ removed: number; watched: string[] }> {
  const watched = host.audience.watchedBy([otherId]).get(otherId) ?? [];
  const removed = host.timeline.removeAuthor(otherId);
  host.audience.dropWatcher(otherId);
  host.audience.unsubscribe(otherId);
  // Its profile, if open here, is not followed live any more (and a tab closing later makes no call to it).
  host.dropSubscriptions(otherId);
  for (const postId of new Set([...removed, ...postIds])) await host.pushToOwnSockets({ type: "post_deleted", postId }, true);
  return { removed: removed.length, watched };
}

/** An author's posts this user may see above the timeline's horizon (a follow, or a new friendship). */
export function backfillEntries(host: FeedHost, authorId: string): Promise<TimelineEntry[]> {
  return authorPostsFromD1(host.d1.read(), host.userId, authorId, host.timeline.horizon, host.config.timelineCap);
}

export function insertBackfill(host: FeedHost, entries: TimelineEntry[]): number {
  // A full page means the author may have more posts above the horizon than one page holds:
  // the timeline then vouches only for posts from the page's oldest up (older ones come from D1).
  if (entries.length >= host.config.timelineCap) host.timeline.raiseHorizon(entries[entries.length - 1].postId);
  return host.timeline.insert(entries).length;
}
