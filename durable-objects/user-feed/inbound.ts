/**
 * Handling what other objects tell this one (UserFeed.receive): first this user's notifications
 * (local writes, then this user's own sockets, within the same call), then the watchers of this
 * user's posts (other objects), then a backfill.
 */
import type { NotificationMessage } from "../../schema/api";
import type { Notice } from "../../core/ops/types";
import { announceEngagement } from "./broadcast";
import type { FeedHost } from "./host";
import type { Inbound } from "./inbound-message";
import type { NotificationStore } from "./notifications";

function applyNotice(store: NotificationStore, notice: Notice, now: number): string[] {
  switch (notice.op) {
    case "add": {
      const id = store.add(notice, now);
      return id === null ? [] : [id];
    }
    case "undo":
      return store.undo(notice.kinds, notice.actorId, notice.refs);
    case "gone":
      return store.gone(notice.ids);
  }
}

/** Applies notices to the store (synchronous writes: they commit together); returns the groups changed, once each. */
export function applyNotices(store: NotificationStore, notices: readonly Notice[], now: number): string[] {
  const changed = new Set<string>();
  for (const notice of notices) for (const id of applyNotice(store, notice, now)) changed.add(id);
  return [...changed];
}

/** The `notification` message of each changed group (or of its removal) to this user's open tabs. */
export async function pushNotifications(host: FeedHost, ids: readonly string[]): Promise<void> {
  if (ids.length === 0 || !host.hasSockets()) return;
  const unreadCount = host.notifications.unreadCount();
  for (const id of ids) {
    const notification = host.notifications.view(id);
    const payload: NotificationMessage = notification ? { notification, unreadCount } : { notification: null, unreadCount, removedId: id };
    await host.pushToOwnSockets({ type: "notification", payload });
  }
}

export async function receive(host: FeedHost, messages: readonly Inbound[]): Promise<void> {
  const notices = messages.flatMap((m) => (m.type === "notice" ? [m.notice] : []));
  if (notices.length > 0) await pushNotifications(host, applyNotices(host.notifications, notices, Date.now()));
  for (const m of messages) {
    if (m.type === "engagement") await announceEngagement(host, { type: "engagement_update", ...m.update }, m.privacy);
    else if (m.type === "backfill") host.insertBackfill(await host.backfillEntries(m.authorId));
  }
}
