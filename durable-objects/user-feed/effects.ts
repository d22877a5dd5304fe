/**
 * Applying a mutation's effects from the acting user's object: first the local writes (committed
 * in one storage transaction with the idempotency record), then the messages to other objects.
 * Whatever a mutation has for one user's object (counts for their watchers, notices for their
 * notifications, a backfill) goes in ONE call to it (`receive`), so notifying adds no call to a
 * like: the post author's object was being called for the count anyway.
 */
import { DELIVERY_CONCURRENCY } from "../../core/config";
import { log } from "../../core/log";
import type { MutationEffect } from "../../core/ops/types";
import { mapPool } from "../../core/pool";
import { announceDelete, announceEdit, notifySubscribers } from "./broadcast";
import { backfillEntries, forgetUser, insertBackfill } from "./deliveries";
import { startErasure } from "./erasure";
import type { FeedHost } from "./host";
import type { Inbound } from "./inbound-message";

/** Reads what the effects need from D1, then returns the synchronous local writes to commit. */
/**
 * `requestId` travels in fan-out job payloads so the batches' logs name the request that caused
 * them; `bookmark` (the mutation's D1 write) so every follower it reaches reads a replica that has it.
 */
export async function prepareLocalEffects(host: FeedHost, effects: MutationEffect[], requestId?: string, bookmark?: string | null): Promise<() => void> {
  const writes: (() => void)[] = [];
  const now = Date.now();
  for (const effect of effects) {
    switch (effect.type) {
      case "authored":
        writes.push(() => {
          host.timeline.insert([{ postId: effect.post.id, authorId: host.userId }]);
          host.jobs.enqueue(effect.celebrity ? "outbox" : "push", effect.post.id, { post: effect.post, requestId, bookmark }, now);
        });
        break;
      case "deleted":
        writes.push(() => {
          host.timeline.remove([effect.postId]);
          host.jobs.enqueue("retract", effect.postId, { postId: effect.postId, requestId, bookmark }, now);
        });
        break;
      case "edited":
        writes.push(() => host.jobs.enqueue("update", effect.post.id, { post: effect.post, requestId, bookmark }, now));
        break;
      case "followed": {
        if (effect.followeeIsPullSource) break; // its posts are pulled at read time
        // Read in the follow's own batch when it ran here (core/ops/graph.ts); else now.
        const entries = effect.backfill ?? (await backfillEntries(host, effect.followeeId));
        writes.push(() => void insertBackfill(host, entries));
        break;
      }
      case "unfollowed":
        writes.push(() => void host.timeline.removeAuthor(effect.followeeId));
        break;
      case "interacted":
        writes.push(() => host.affinity.add(effect.authorId, effect.delta));
        break;
      case "mediaSweepDue":
        writes.push(() => host.jobs.ensure("media_sweep", effect.at, now));
        break;
      case "sessionsEnded":
        writes.push(() => host.sessions.revokeAllExcept(effect.keep, now));
        break;
      case "accountDeleted":
        writes.push(() => {
          host.sessions.revokeAllExcept(null, now);
          startErasure(host, effect.followers, now);
        });
        break;
      case "engagement":
      case "notify":
      case "notificationsRead":
      case "blocked":
        break;
    }
  }
  return () => writes.forEach((write) => write());
}

/** Effects on other objects, after the local commit. Best effort: a failure is logged, not returned. */
/** Every call carries the mutation's `bookmark`: the recipient keeps the newer of it and its own. */
export async function sendRemoteEffects(host: FeedHost, effects: MutationEffect[], requestId?: string, bookmark?: string | null): Promise<void> {
  const { env, userId } = host;
  const inbound = new Map<string, Inbound[]>();
  const tell = (recipientId: string, message: Inbound) => void (inbound.get(recipientId) ?? inbound.set(recipientId, []).get(recipientId)!).push(message);
  for (const effect of effects) {
    try {
      switch (effect.type) {
        case "authored":
          await host.pushToOwnSockets({ type: "new_post", post: effect.post, via: "home" });
          await notifySubscribers(host, effect.post.id, bookmark);
          break;
        case "engagement":
          tell(effect.authorId, { type: "engagement", update: effect.update, privacy: effect.privacy });
          break;
        case "notify":
          tell(effect.recipientId, { type: "notice", notice: effect.notice });
          break;
        case "notificationsRead":
          await host.pushToOwnSockets({ type: "notification", payload: { notification: null, unreadCount: effect.unreadCount } });
          break;
        case "edited":
          await announceEdit(host, effect.post.id);
          break;
        case "deleted":
          await announceDelete(host, effect.postId, effect.privacy);
          break;
        case "followed":
          // A new friendship: the followee's timeline may now hold this user's friends-only posts.
          if (effect.nowFriends) tell(effect.followeeId, { type: "backfill", authorId: userId });
          if (effect.followeeIsCelebrity && host.hasSockets()) await env.CELEBRITY_FEED.getByName(effect.followeeId).lease(userId);
          break;
        case "unfollowed":
          await env.CELEBRITY_FEED.getByName(effect.followeeId).release(userId);
          break;
        case "blocked": {
          // Each leaves the other's timeline, screens and leases (the follows both ways are gone in
          // D1): the posts each watches of the other's are taken off its screens too.
          const theirWatches = host.audience.watchedBy([effect.otherId]).get(effect.otherId) ?? [];
          const mine = await env.USER_FEED.getByName(effect.otherId).forgetUser(userId, theirWatches);
          await forgetUser(host, effect.otherId, mine.watched);
          if (effect.otherIsPullSource) await env.CELEBRITY_FEED.getByName(effect.otherId).release(userId);
          if (effect.selfIsPullSource) await env.CELEBRITY_FEED.getByName(userId).release(effect.otherId);
          break;
        }
        case "sessionsEnded":
          host.closeSocketsExcept(effect.keep);
          break;
        case "accountDeleted":
          host.closeSocketsExcept(null);
          await mapPool(effect.celebrities, DELIVERY_CONCURRENCY, (id) => env.CELEBRITY_FEED.getByName(id).release(userId));
          break;
      }
    } catch (error) {
      log("error", "effect failed", { requestId, userId, effect: effect.type, error: String(error) });
    }
  }
  await mapPool([...inbound], DELIVERY_CONCURRENCY, async ([recipientId, messages]) => {
    try {
      if (recipientId === userId) await host.receive(messages);
      else await env.USER_FEED.getByName(recipientId).receive(messages, bookmark);
    } catch (error) {
      log("error", "effect failed", { requestId, userId, recipientId, effect: messages.map((m) => m.type).join(","), error: String(error) });
    }
  });
}
